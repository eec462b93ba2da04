package io.strata.agent.windows.exec;

import com.sun.jna.platform.win32.WinNT.HANDLE;

/**
 * A task's job object and main process, as the agent holds them after a launch or a recovery.
 *
 * @param name the job's name (how a restarted agent opens it again)
 * @param completionKey the key of the job's notifications on the agent's completion port
 * @param job the agent's handle to the job
 * @param process the agent's handle to the task's main process
 * @param pid the main process id (also the id of the task's process group)
 */
public record RunningJob(String name, long completionKey, HANDLE job, HANDLE process, int pid) {}
