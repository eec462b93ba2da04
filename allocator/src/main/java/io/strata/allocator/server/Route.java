package io.strata.allocator.server;

import io.javalin.http.Handler;

/**
 * One route of the HTTP API: method, Javalin path pattern, who may call it, and its handler. The
 * server registers exactly these, and the OpenAPI test compares them with the document.
 */
record Route(String method, String path, Access access, Handler handler) {

  /** Who may call a route. */
  enum Access {
    /** Anyone: health and the OpenAPI document. */
    PUBLIC,
    /** Agents, with the join token. */
    AGENT,
    /** Frameworks (and operators), with a principal's token. */
    FRAMEWORK,
    /** Principals marked as operators. */
    OPERATOR
  }

  static Route get(String path, Access access, Handler handler) {
    return new Route("GET", path, access, handler);
  }

  static Route post(String path, Access access, Handler handler) {
    return new Route("POST", path, access, handler);
  }

  static Route put(String path, Access access, Handler handler) {
    return new Route("PUT", path, access, handler);
  }

  static Route delete(String path, Access access, Handler handler) {
    return new Route("DELETE", path, access, handler);
  }
}
