"""Reading a pasted log: which message ended the job, which cause the log points to, and the lines that prove it."""
