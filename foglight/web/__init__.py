"""The serve stage: web pages, the REST API and the self-contained HTML report, all thin
shells over ``foglight.service``."""
