// iOS: the widget's own page, top-level in a WKWebView; events arrive through the `tiledesk` script message handler.
import UIKit
import WebKit

final class TiledeskViewController: UIViewController, WKScriptMessageHandler {
    private var webView: WKWebView!

    override func viewDidLoad() {
        super.viewDidLoad()
        let config = WKWebViewConfiguration()
        config.userContentController.add(self, name: "tiledesk")
        webView = WKWebView(frame: view.bounds, configuration: config)
        webView.autoresizingMask = [.flexibleWidth, .flexibleHeight]
        view.addSubview(webView)
        let url = URL(string: "https://WIDGET_HOST/index.html?tiledesk_projectid=PROJECT_ID&tiledesk_fullscreenMode=true")!
        webView.load(URLRequest(url: url))
    }

    /// Calls the JavaScript API from Swift, e.g. `call("open")` or `call("startConversation", arg: "\"Hello\"")`.
    func call(_ method: String, arg: String = "undefined") {
        webView.evaluateJavaScript("window.Tiledesk('\(method)', \(arg))")
    }

    /// Every widget event, as the bridge envelope `{tiledesk: 1, type: "event", name, detail}`.
    func userContentController(_ controller: WKUserContentController, didReceive message: WKScriptMessage) {
        guard let event = message.body as? [String: Any], let name = event["name"] as? String else { return }
        print("Tiledesk \(name):", event["detail"] ?? "")
        if name == "onClose" { dismiss(animated: true) }
    }
}
