/// The developer console's HTML: one self-contained page (inline style and script, nothing
/// fetched), with the URL box prefilled.
///
/// Why it exists: `--devconsole` answers every plain-HTTP path with this page, so a developer
/// can talk to the program from a browser without writing a page. It is wsgate's own page
/// (websocketd's idea, not its markup). The only server-side value in it is the prefilled URL,
/// which comes from the request (`Host` and the request-target), so it goes through
/// `HTMLText.escaped` into one quoted attribute; the script then replaces it with the URL
/// computed from `location` (which also knows `https:`). Received messages are only ever
/// written as text (`textContent`), never parsed as HTML.
///
/// Elements a test can drive: `#url`, `#reconnect`, `#close`, `#status` (its `data-state` is
/// `connecting`, `open`, `closing` or `closed`), `#log` (one `.entry` per event, `data-kind`
/// `sent`, `received`, `info` or `error`), `#message`, `#hex` (send binary), `#send`, `#clear`.
enum DevConsolePage {
    static let contentType = "text/html; charset=utf-8"

    /// The page with `prefilledURL` (escaped here) in the URL box.
    static func html(prefilledURL: String) -> [UInt8] {
        beforeURL + HTMLText.escaped(Array(prefilledURL.utf8)) + afterURL
    }

    private static let beforeURL = Array(#"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>wsgate console</title>
        <link rel="icon" href="data:,">
        <style>
        \#(style)</style>
        </head>
        <body>
        <header>
        <h1>wsgate console</h1>
        <input id="url" type="text" aria-label="WebSocket URL" spellcheck="false" autocomplete="off" value="
        """#.utf8)

    private static let afterURL = Array(#"""
        ">
        <button id="reconnect" type="button">Reconnect</button>
        <button id="close" type="button" disabled>Close</button>
        <span id="status" role="status" data-state="closed">not connected</span>
        </header>
        <div id="log" role="log" aria-live="polite"></div>
        <footer>
        <form id="send-form">
        <input id="message" type="text" aria-label="Message" placeholder="message (Enter sends, ↑ ↓ history)" spellcheck="false" autocomplete="off">
        <label title="send the message as binary: hex bytes, e.g. 48 69 0a"><input id="hex" type="checkbox"> hex</label>
        <button id="send" type="submit" disabled>Send</button>
        <button id="clear" type="button">Clear</button>
        </form>
        </footer>
        <noscript><p>The console needs JavaScript.</p></noscript>
        <script>
        \#(DevConsoleScript.source)</script>
        </body>
        </html>

        """#.utf8)

    private static let style = #"""
        :root { color-scheme: light dark; --muted: #888; --sent: #1a7f37; --received: #0969da; --error: #cf222e; }
        * { box-sizing: border-box; }
        body { margin: 0; height: 100vh; display: flex; flex-direction: column; font: 14px/1.4 system-ui, sans-serif; }
        header, footer { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; padding: .5rem .75rem; }
        header { border-bottom: 1px solid #8885; }
        footer { border-top: 1px solid #8885; }
        h1 { margin: 0; font-size: 1rem; }
        input, button { font: inherit; }
        input { padding: .3rem .45rem; font-family: ui-monospace, monospace; font-size: 13px; }
        #url { flex: 1 1 22rem; }
        form { display: flex; flex: 1; gap: .5rem; align-items: center; }
        #message { flex: 1; }
        #status { padding: .15rem .5rem; border-radius: .3rem; background: #8882; font: 13px ui-monospace, monospace; }
        #status[data-state=open] { background: #1a7f3733; }
        #status[data-state=closed] { background: #cf222e22; }
        #log { flex: 1; overflow-y: auto; padding: .5rem .75rem; font: 13px/1.45 ui-monospace, monospace; }
        .entry { display: flex; gap: .75rem; }
        .entry time { flex: none; color: var(--muted); }
        .entry .arrow { flex: none; width: 1em; text-align: center; }
        .entry .data { white-space: pre-wrap; overflow-wrap: anywhere; }
        .entry[data-kind=sent] .arrow { color: var(--sent); }
        .entry[data-kind=received] .arrow { color: var(--received); }
        .entry[data-kind=info] .data { color: var(--muted); }
        .entry[data-kind=error] .data, .entry[data-kind=error] .arrow { color: var(--error); }

        """#
}
