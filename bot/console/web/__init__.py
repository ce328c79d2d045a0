"""The console's web shell: the Sanic app, page layout, safe markup, strings, security headers."""
