"""The placeworks web app: a Django project with Jinja2 templates in the NHS.UK frontend style."""
