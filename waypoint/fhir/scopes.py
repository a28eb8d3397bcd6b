"""Which scopes an OAuth client may be given (django-oauth-toolkit's SCOPES_BACKEND_CLASS): a
system client only the resource types it was registered for; a staff client every `user/` scope
(what the token then shows is still only what the member of staff may see)."""

from oauth2_provider.scopes import SettingsScopes


class WaypointScopes(SettingsScopes):
    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        every = super().get_available_scopes(application, request, *args, **kwargs)
        if application is None:
            return every
        if application.authorization_grant_type == application.GRANT_CLIENT_CREDENTIALS:
            registered = getattr(application, "system_client", None)
            allowed = set(registered.scopes()) if registered else set()
            return [scope for scope in every if scope in allowed]
        return [scope for scope in every if scope.startswith("user/")]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return self.get_available_scopes(application, request, *args, **kwargs)
