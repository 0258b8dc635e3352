// Placeholder until the simulator lands (helper in progress).
