"""Issue 18, item 13: no console errors. The pages run under Waypoint's real content security
policy (this context does not bypass it, unlike the other journeys): a blocked font, script or
style would be a console error here. The network is offline, so requests for the NHS.UK font
(allowed by the policy by default) are answered locally instead of failing."""

import re

import pytest

from tests.browser.conftest import PASSWORD, check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_log_no_console_errors_under_the_real_content_security_policy(
    browser, live_server, request, coordinator, person
):
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # CSP enforced
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    page.test_name = re.sub(r"[^a-z0-9_]+", "-", request.node.name.lower())
    fonts = []

    def font(route):
        fonts.append(route.request.url)
        route.fulfill(status=204, body=b"")

    page.route("https://assets.nhs.uk/**", font)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(page.base_url + "/sign-in/")
        page.get_by_label("Username").fill("cc.north")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/(caseload/)?$"))
        for path in ("/caseload/", "/diary/", f"/people/{person.pk}/", "/people/?q=test"):
            page.goto(page.base_url + path)
            page.wait_for_load_state("networkidle")
        check(page, "search")
        assert errors == [], errors
        assert fonts, "the NHS.UK font was not even requested: the test would prove nothing"
    finally:
        context.close()
