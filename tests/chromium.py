"""Headless Chromium driven over the DevTools protocol, for the browser tests of `itpm serve`.

Small on purpose: start Debian's chromium with a fresh profile and a debugging port it
chooses, talk to its first tab over a websocket (aiohttp, which `textual-serve` brings), and
offer the three things the tests need: open a page, evaluate JavaScript, take a screenshot.
"""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
]

#: Run before any script of the page: keeps xterm.js's Terminal, which textual-serve's
#: page creates as `this.terminal = new Terminal(...)`, where the test can read its buffer.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    if (value && value.buffer) { window.__itpmTerminal = value; }
    Object.defineProperty(this, "terminal", {
      value, writable: true, configurable: true, enumerable: true });
  },
});
"""

#: The terminal's visible text, one line per row.
SCREEN_TEXT = """
(() => {
  const t = window.__itpmTerminal;
  if (!t) { return ""; }
  const b = t.buffer.active, rows = [];
  for (let y = 0; y < t.rows; y++) {
    const line = b.getLine(b.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
})()
"""


class Browser:
    """One headless Chromium and a DevTools session on its first tab."""

    def __init__(self, width: int = 1280, height: int = 800) -> None:
        assert CHROMIUM is not None
        self.profile = Path(tempfile.mkdtemp(prefix="itpm-chromium-"))
        self.process = subprocess.Popen(
            [
                CHROMIUM,
                *FLAGS,
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._ids = 0
        self._session: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None

    async def __aenter__(self) -> Browser:
        port = self._debugging_port()
        self._session = aiohttp.ClientSession()
        tabs: list[dict[str, Any]] = []
        for _ in range(100):
            async with self._session.get(f"http://127.0.0.1:{port}/json/list") as response:
                tabs = [t for t in await response.json() if t.get("type") == "page"]
            if tabs:
                break
            await asyncio.sleep(0.1)
        self._ws = await self._session.ws_connect(tabs[0]["webSocketDebuggerUrl"], max_msg_size=0)
        await self.call("Page.enable")
        await self.call("Page.addScriptToEvaluateOnNewDocument", source=CATCH_TERMINAL)
        self.downloads = self.profile / "downloads"
        await self.call(
            "Browser.setDownloadBehavior", behavior="allow", downloadPath=str(self.downloads)
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._session is not None:
            await self._session.close()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _debugging_port(self) -> int:
        marker = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if marker.exists() and marker.read_text().strip():
                return int(marker.read_text().split()[0])
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited with status {self.process.returncode}")
            time.sleep(0.05)
        raise RuntimeError("chromium opened no debugging port within 20 s")

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        assert self._ws is not None
        self._ids += 1
        ident = self._ids
        await self._ws.send_str(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(await self._ws.receive_str())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result

    async def open(self, url: str) -> None:
        await self.call("Page.navigate", url=url)

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def screen_text(self) -> str:
        return str(await self.evaluate(SCREEN_TEXT) or "")

    async def wait_for_text(self, wanted: str, timeout: float = 20) -> str:
        """The terminal's text once it shows `wanted` (the last text seen, on timeout)."""
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = await self.screen_text()
            if wanted in text:
                return text
            await asyncio.sleep(0.25)
        return text

    async def press(self, key: str) -> None:
        """Type one character into the terminal, as a user's key press."""
        await self.evaluate("window.__itpmTerminal && window.__itpmTerminal.focus()")
        await self.call("Input.dispatchKeyEvent", type="keyDown", key=key, text=key)
        await self.call("Input.dispatchKeyEvent", type="keyUp", key=key)

    async def screenshot(self, path: Path) -> None:
        shot = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))
