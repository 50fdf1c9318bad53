# The public site's page fixtures, for the workflow emails (tests/i18n/test_admin_emails.py).
from tests.website.conftest import domain, explainer_index, law, law_index  # noqa: F401
