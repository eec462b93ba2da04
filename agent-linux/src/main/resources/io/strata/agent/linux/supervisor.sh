# Strata task supervisor (POSIX sh). One per task: started by the agent in a new session, outside
# the task's cgroups, it outlives the agent and records the task's exit status, as conmon or
# containerd-shim do.
#
# Usage: supervisor.sh EXIT_FILE STDOUT STDERR N PROCS_1 ... PROCS_N COMMAND [ARG...]
#
# A subshell writes 0 to each cgroup.procs file (which moves the writing process itself), so the
# task is in all its cgroups before any of its code runs; it then says "ready" on descriptor 3
# (a pipe to the agent), closes it, and execs COMMAND with stdout/stderr appended to the sandbox
# files. The supervisor waits for it and writes "<status>\n" to EXIT_FILE (128+n for signal n).
exit_file=$1
out=$2
err=$3
n=$4
shift 4
(
  trap '' PIPE
  while [ "$n" -gt 0 ]; do
    if ! echo 0 >"$1"; then
      echo "error cannot join cgroup $1" >&3
      exit 125
    fi
    shift
    n=$((n - 1))
  done
  echo ready >&3
  exec 3>&-
  trap - PIPE
  exec "$@" >>"$out" 2>>"$err"
)
status=$?
echo "$status" >"$exit_file"
