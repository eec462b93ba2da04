package io.strata.allocator.server.dns;

import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Authoritative answers from a {@link Zone}: a pure function of the query and the zone. What to do
 * with a query outside the zone (refuse, forward) is the server's decision, asked with {@link
 * #inZone}.
 */
public final class Answers {
  /** The UDP payload this server offers with EDNS (the 2020 DNS flag day's value). */
  public static final int EDNS_PAYLOAD = 1232;

  private Answers() {}

  /** True if the query asks (IN or ANY class) for a name inside {@code origin}. */
  public static boolean inZone(Message query, Name origin) {
    Record q = query.getQuestion();
    return q != null && q.getName().subdomain(origin);
  }

  /** A response with only a code (REFUSED, SERVFAIL, FORMERR, NOTIMP), echoing the question. */
  public static Message error(Message query, int rcode) {
    Message r = reply(query);
    r.getHeader().setRcode(rcode);
    return r;
  }

  /** The authoritative answer for a query inside the zone. */
  public static Message answer(Message query, Zone zone) {
    Record question = query.getQuestion();
    if (query.getHeader().getOpcode() != Opcode.QUERY) {
      return error(query, Rcode.NOTIMP);
    }
    if (question == null || query.getHeader().getFlag(Flags.QR)) {
      return error(query, Rcode.FORMERR);
    }
    int qclass = question.getDClass();
    if (!question.getName().subdomain(zone.origin())
        || (qclass != DClass.IN && qclass != DClass.ANY)) {
      return error(query, Rcode.REFUSED);
    }
    Message r = reply(query);
    r.getHeader().setFlag(Flags.AA);
    Name name = question.getName();
    int type = question.getType();
    if (!zone.exists(name)) {
      r.getHeader().setRcode(Rcode.NXDOMAIN);
      r.addRecord(zone.soa(), Section.AUTHORITY);
      return r;
    }
    List<Record> answers = zone.get(name, type);
    if (answers.isEmpty()) {
      r.addRecord(zone.soa(), Section.AUTHORITY); // NODATA
      return r;
    }
    for (Record a : answers) {
      r.addRecord(a, Section.ANSWER);
      Name extra =
          a instanceof SRVRecord s ? s.getTarget() : a instanceof NSRecord n ? n.getTarget() : null;
      if (extra != null) {
        for (Record glue : zone.get(extra, Type.A)) {
          addOnce(r, glue);
        }
        for (Record glue : zone.get(extra, Type.AAAA)) {
          addOnce(r, glue);
        }
      }
    }
    return r;
  }

  private static void addOnce(Message r, Record glue) {
    if (!r.findRecord(glue, Section.ADDITIONAL)) {
      r.addRecord(glue, Section.ADDITIONAL);
    }
  }

  /** The largest UDP answer the querier accepts: 512, or what its EDNS record says (capped). */
  public static int udpLimit(Message query) {
    OPTRecord opt = query.getOPT();
    return opt == null ? 512 : Math.max(512, Math.min(opt.getPayloadSize(), EDNS_PAYLOAD));
  }

  private static Message reply(Message query) {
    Message r = new Message(query.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setOpcode(query.getHeader().getOpcode());
    if (query.getHeader().getFlag(Flags.RD)) {
      r.getHeader().setFlag(Flags.RD);
    }
    Record q = query.getQuestion();
    if (q != null) {
      r.addRecord(q, Section.QUESTION);
    }
    if (query.getOPT() != null) {
      r.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
    }
    return r;
  }
}
