"""Operations: request ids, log formats, Prometheus metrics."""
