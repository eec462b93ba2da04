package io.strata.allocator.server;

import io.strata.allocator.authz.Permission;
import java.util.List;

/**
 * Extra HTTP routes served on the allocator's port, for principals the extension's {@link
 * #permissions} allow: how an add-on running in the allocator's process, such as the built-in
 * frameworks' API, shares the allocator's address and tokens. The allocator knows nothing of what
 * the routes do.
 */
public interface HttpExtension {
  /**
   * Path prefixes handled, e.g. {@code /v1/apps}: requests to a prefix and to any path below it,
   * with methods GET, POST, PUT and DELETE. They must not overlap the allocator's own routes.
   */
  List<String> prefixes();

  /**
   * Every operation answered, as {@code "METHOD /path/{param}"} (OpenAPI path syntax), e.g. {@code
   * "GET /v1/apps/{id}"}: the routes the allocator lists as served, which the OpenAPI document must
   * describe. Any other method or path under {@link #prefixes} must answer 404 or 405.
   */
  List<String> routes();

  /**
   * What a request needs: the allocator checks these for the calling principal (403 naming what is
   * missing) before {@link #handle}. Must not block; an empty list lets any principal in.
   */
  List<Permission> permissions(String method, String path);

  /**
   * Answers one request (the caller is authenticated and authorized already). Called on a virtual
   * thread; may block. Must not throw for bad input: answer with a problem instead.
   */
  Answer handle(String method, String path, byte[] body);

  /**
   * As {@link #handle(String, String, byte[])}, knowing the authenticated principal's name (e.g. to
   * record who changed something). By default the principal is not used.
   */
  default Answer handle(String method, String path, byte[] body, String principal) {
    return handle(method, path, body);
  }

  /** A status, a content type and a body (may be empty). */
  record Answer(int status, String contentType, byte[] body) {}
}
