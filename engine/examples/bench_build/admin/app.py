"""A small admin app: shows whether the API answers its health check."""
import os

import requests
from flask import Flask

app = Flask(__name__)
API = os.environ.get("API_URL", "http://127.0.0.1:8080")


@app.get("/")
def status():
    try:
        answer = requests.get(f"{API}/healthz", timeout=2)
        return {"api": answer.text.strip(), "status": answer.status_code}
    except requests.RequestException as error:
        return {"api": "down", "error": str(error)}, 503


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("ADMIN_PORT", "9000")))
