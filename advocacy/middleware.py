"""Site-wide middleware: a page, in French, for a request method an address does not take."""

from django.shortcuts import render


class MethodNotAllowedPage:
    """Django answers a GET on an address that only takes a form's POST (the address of a
    button such as "Quitter le programme", opened from the history or a bookmark) with an
    empty 405: a blank page. This puts the site's error page in its place; the API keeps
    its own JSON errors."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.path.startswith("/api/"):
            return response
        page = render(request, "errors/405.html", status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
