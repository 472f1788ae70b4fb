"""Django's PostgreSQL backend, with a health check that needs no round trip.

Connections are kept between requests (CONN_MAX_AGE) and checked before a request reuses one
(CONN_HEALTH_CHECKS). Django checks with `SELECT 1`: one more statement for every request, about a
twentieth of an appeal submission's CPU. When PostgreSQL drops a connection (a restart, an idle timeout,
`pg_terminate_backend`) it sends a last message and closes the socket, so an idle connection whose
socket has something to read is one the server has given up on. That is asked of the kernel here, for
free. Anything unexpected counts as unusable: the cost of being wrong that way is one reconnect."""
