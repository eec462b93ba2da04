package io.strata.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class AllocatorAddressTest {

  @Test
  void oneUrlIsSingleWithoutItsTrailingSlash() {
    AllocatorAddress a = AllocatorAddress.parse(" https://10.0.0.4:5050/ ");
    assertThat(a)
        .isEqualTo(new AllocatorAddress.Urls(List.of(URI.create("https://10.0.0.4:5050"))));
    assertThat(a.isSingle()).isTrue();
    assertThat(a.scheme()).contains("https");
    assertThat(a).hasToString("https://10.0.0.4:5050");
  }

  @Test
  void aListKeepsItsOrder() {
    AllocatorAddress a = AllocatorAddress.parse("http://a:5050, http://b:5050 ,http://[::1]:5050");
    assertThat(((AllocatorAddress.Urls) a).urls())
        .containsExactly(
            URI.create("http://a:5050"),
            URI.create("http://b:5050"),
            URI.create("http://[::1]:5050"));
    assertThat(a.isSingle()).isFalse();
    assertThat(a).hasToString("http://a:5050,http://b:5050,http://[::1]:5050");
  }

  @Test
  void zooKeeperGivesItsEnsembleAndRootWithDefaultPorts() {
    AllocatorAddress a = AllocatorAddress.parse("zk://h1:2181,h2,[::1]:2182/strata/prod");
    assertThat(a)
        .isEqualTo(new AllocatorAddress.ZooKeeper("h1:2181,h2:2181,[::1]:2182", "/strata/prod"));
    assertThat(((AllocatorAddress.ZooKeeper) a).epochPath()).isEqualTo("/strata/prod/epoch");
    assertThat(a.isSingle()).isFalse();
    assertThat(a.scheme()).isEmpty();
    assertThat(a).hasToString("zk://h1:2181,h2:2181,[::1]:2182/strata/prod");
  }

  @Test
  void badAddressesNameTheirBadPart() {
    assertRefused("", "the allocator address is empty");
    assertRefused("http://a:5050,,http://b:5050", "allocator address 2 is empty");
    assertRefused("http://a:5050,", "allocator address 2 is empty");
    assertRefused("ftp://a", "allocator URL 'ftp://a' must start with http:// or https://");
    assertRefused("a:5050", "must start with http:// or https://");
    assertRefused(
        "http://a:5050,https://b:5050",
        "allocator address 2 'https://b:5050' is https but the first is http");
    assertRefused(
        "http://a:5050,http://a:5050/", "allocator address 2 'http://a:5050' is listed twice");
    assertRefused("http://a:5050,zk://z:2181/s", "a zk:// address stands alone");
    assertRefused("http://u:p@a:5050", "carries a user name");
    assertRefused("http://a:5050/?x=1", "has a query or fragment");
    assertRefused("http://a b", "is not a URL");
    assertRefused(
        "zk://h1:2181",
        "names no root znode: add the one the allocators use, e.g. zk://h1:2181/strata");
    assertRefused("zk:///strata", "names no host");
    assertRefused("zk://h1:2181,:2181/strata", "ZooKeeper host 2 ':2181'");
    assertRefused("zk://h1:99999/strata", "has port 99999, not 1-65535");
    assertRefused("zk://h1/strata/", "the ZooKeeper root '/strata/'");
    assertRefused("zk://h1/", "the ZooKeeper root '/'");
  }

  private static void assertRefused(String text, String message) {
    assertThatThrownBy(() -> AllocatorAddress.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Provide
  Arbitrary<List<URI>> urlLists() {
    Arbitrary<String> host =
        Arbitraries.oneOf(
            Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8),
            Arbitraries.integers().between(1, 254).map(i -> "10.0.0." + i));
    Arbitrary<URI> url =
        Combinators.combine(host, Arbitraries.integers().between(1, 65535))
            .as((h, p) -> URI.create("https://" + h + ":" + p));
    return url.list().ofMinSize(1).ofMaxSize(7).uniqueElements();
  }

  @Property
  void aListParsesToItsUrlsInOrderWhateverTheSpacing(
      @ForAll("urlLists") List<URI> urls, @ForAll("spaces") String pad) {
    String text = urls.stream().map(u -> pad + u + pad).collect(Collectors.joining(","));
    AllocatorAddress a = AllocatorAddress.parse(text);
    assertThat(((AllocatorAddress.Urls) a).urls()).isEqualTo(urls);
    assertThat(a.isSingle()).isEqualTo(urls.size() == 1);
    assertThat(AllocatorAddress.parse(a.toString())).isEqualTo(a);
  }

  @Property
  void aListWithADuplicateIsRefused(@ForAll("urlLists") List<URI> urls) {
    String text =
        urls.stream().map(URI::toString).collect(Collectors.joining(",")) + "," + urls.getFirst();
    assertThatThrownBy(() -> AllocatorAddress.parse(text))
        .hasMessageContaining("allocator address " + (urls.size() + 1))
        .hasMessageContaining("is listed twice");
  }

  @Provide
  Arbitrary<String> spaces() {
    return Arbitraries.of("", " ", "  ", "\t");
  }
}
