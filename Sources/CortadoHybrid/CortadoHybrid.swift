// The two-level cache lands here (helper in progress).
