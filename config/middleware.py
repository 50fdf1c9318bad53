class AdminPreviewFrameMiddleware:
    """Let Wagtail's editor show its live preview in a same-origin frame.

    The site sends ``X-Frame-Options: DENY`` everywhere else; only the admin's preview
    responses, which the editor itself frames, are relaxed to SAMEORIGIN.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/") and "/preview/" in request.path:
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response
