"""Fan-out of operations over panels: limits, retries, deadline, cancellation."""
