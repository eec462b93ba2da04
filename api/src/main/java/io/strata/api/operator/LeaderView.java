package io.strata.api.operator;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Who leads the allocators ({@code GET /v1/leader}), as the answering allocator knows it. A single
 * allocator without ZooKeeper is always its own leader.
 *
 * @param leader the leader's advertised URL, e.g. {@code https://10.0.0.4:5050}; null while no
 *     leader is known (an election or a takeover under way, ZooKeeper unreachable)
 * @param self the answering allocator's advertised URL
 * @param isLeader true if the answering allocator leads and serves the API
 * @param epoch the leadership epoch ZooKeeper last recorded (each new leader claims the next); 1
 *     for a single allocator, 0 before the first leader of an HA group
 */
public record LeaderView(
    @JsonInclude(JsonInclude.Include.ALWAYS) String leader,
    String self,
    boolean isLeader,
    long epoch) {}
