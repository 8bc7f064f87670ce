"""A phone simulator: try the service from a terminal without a telephone account."""
