// The preview's reload channel (chronicle/preview_server.py adds this script to every page it serves).
// An external script, not an inline one, so that the page's Content-Security-Policy (script-src 'self')
// allows it. The page says which version of the site it shows; the server answers "reload" at once if
// that is not the current one (a rebuild ended while the page loaded), or after the next rebuild.
(() => {
  const version = document.currentScript.dataset.version;
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  const address = `${scheme}${location.host}/_preview/reload?version=${encodeURIComponent(version)}`;
  let delay = 500;

  function connect() {
    const socket = new WebSocket(address);
    socket.onopen = () => {
      delay = 500;
      window.chroniclePreview = "connected";  // for the tests
    };
    socket.onmessage = () => location.reload();
    // The server stopped or restarted: try again, less often as time goes by; a restarted server has
    // another version, so the page reloads once it is back.
    socket.onclose = () => {
      window.chroniclePreview = "disconnected";
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10000);
    };
  }

  connect();
})();
