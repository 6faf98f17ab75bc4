// Asks the API for its health check and shows the answer.
fetch('/healthz')
  .then((response) => response.text())
  .then((text) => { document.getElementById('status').textContent = `API: ${text.trim()}`; })
  .catch(() => { document.getElementById('status').textContent = 'API: down'; });
