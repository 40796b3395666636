"""HTTP hardening around every route: proxies, hosts, security headers, docs, ops endpoints."""
