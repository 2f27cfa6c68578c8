// Android: the widget's own page, top-level in a WebView; events arrive through a `TiledeskAndroid` interface.
package com.example.shop

import android.annotation.SuppressLint
import android.os.Bundle
import android.util.Log
import android.webkit.JavascriptInterface
import android.webkit.WebView
import androidx.appcompat.app.AppCompatActivity
import org.json.JSONObject

class TiledeskActivity : AppCompatActivity() {
    private lateinit var webView: WebView

    @SuppressLint("SetJavaScriptEnabled")
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        webView = WebView(this)
        webView.settings.javaScriptEnabled = true
        webView.settings.domStorageEnabled = true // the widget remembers the visitor in localStorage
        webView.addJavascriptInterface(TiledeskBridge(), "TiledeskAndroid")
        setContentView(webView)
        webView.loadUrl("https://WIDGET_HOST/index.html?tiledesk_projectid=PROJECT_ID&tiledesk_fullscreenMode=true")
    }

    /** Calls the JavaScript API from Kotlin, e.g. `call("open")` or `call("sendMessage", "{\"text\":\"hi\"}")`. */
    fun call(method: String, jsonArg: String = "undefined") {
        webView.evaluateJavascript("window.Tiledesk(${JSONObject.quote(method)}, $jsonArg)", null)
    }

    inner class TiledeskBridge {
        /** Every widget event, as the JSON bridge envelope {tiledesk: 1, type: "event", name, detail}. */
        @JavascriptInterface
        fun postMessage(json: String) {
            val event = JSONObject(json)
            Log.d("Tiledesk", "${event.getString("name")}: ${event.optJSONObject("detail")}")
            if (event.getString("name") == "onClose") runOnUiThread { finish() }
        }
    }
}
