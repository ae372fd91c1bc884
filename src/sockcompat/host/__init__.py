"""What this process is and can reach: the socket surface, module autoloading, privilege, host facts,
and the deadlines and subprocesses probes run under."""
