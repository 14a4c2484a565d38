// Starts Swagger UI on the app's own schema; a separate file because the CSP forbids inline scripts.
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // A bearer token from the Authorize dialog (or POST /api/auth/token) is kept across reloads.
    persistAuthorization: true,
    tryItOutEnabled: false,
  });
});
