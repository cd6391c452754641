"""A small OpenID Connect provider (django-oauth-toolkit) that the SSO tests run as a
separate process on 127.0.0.1: the identity provider of a ministry, in miniature."""
