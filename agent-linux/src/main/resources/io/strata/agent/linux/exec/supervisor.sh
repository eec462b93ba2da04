# Strata task supervisor (POSIX sh). One per task: started by the agent in a new session, it
# outlives the agent and records the task's exit status, as conmon or containerd-shim do.
#
# Usage: supervisor.sh EXIT_FILE STDOUT STDERR N JOIN_1..JOIN_N M LEAVE_1..LEAVE_M COMMAND [ARG...]
#
# The supervisor may be born inside the task's (v1) cgroups: the agent spawns it from a thread
# that sits there for the moment. It forks the task's first process, a subshell that
#   - writes 0 to each JOIN cgroup.procs (which moves the writing process itself),
#   - moves the supervisor ($$ in a subshell is the supervisor) to each LEAVE cgroup.procs, so
#     that killing the task's cgroups never kills the supervisor,
#   - says "ready" on descriptor 3 (a pipe to the agent), closes it (when the agent does not wait
#     for it, the pipe is closed already: the failed write is no business of the task's stderr),
#   - and execs COMMAND (which starts with setpriv when the task runs as another user),
#     stdout/stderr appended to the sandbox files, umask 022.
# It inherits NoNewPrivs from the agent's spawning thread: so does everything the task runs.
# The supervisor waits for it and writes "<status>\n" to EXIT_FILE (128+n for signal n).
#
# Before anything, it waits until the agent closes the other end of descriptor 4: the agent's
# spawning thread is then back in its own cgroups. Moves through cgroup.procs (below) hold the
# kernel's cgroup lock for an RCU grace period; the agent's own moves would queue behind them.
read -r go <&4 2>/dev/null || :
exec 4<&-
# What the supervisor writes (the exit file) is the agent's: owner-only.
umask 077
exit_file=$1
out=$2
err=$3
shift 3
(
  trap '' PIPE
  n=$1
  shift
  while [ "$n" -gt 0 ]; do
    if ! echo 0 >"$1"; then
      echo "error cannot join cgroup $1" >&3
      exit 125
    fi
    shift
    n=$((n - 1))
  done
  n=$1
  shift
  while [ "$n" -gt 0 ]; do
    echo $$ >"$1" || echo "strata-supervisor: cannot leave the task's cgroup for $1" >&2
    shift
    n=$((n - 1))
  done
  echo ready >&3 2>/dev/null || :
  exec 3>&-
  trap - PIPE
  # The task's own files: the usual mask, whatever the agent's (its sandbox is 0700 anyway).
  umask 022
  exec "$@" >>"$out" 2>>"$err"
)
status=$?
echo "$status" >"$exit_file"
