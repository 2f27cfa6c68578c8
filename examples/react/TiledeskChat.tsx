// A React component that embeds the Tiledesk widget once, calls its API and disposes it on unmount.
// Types: add loader/tiledesk.d.ts to your project (it declares tiledeskSettings, Tiledesk and tiledesk as globals).
import { useEffect, useState } from 'react';

interface Props {
  projectId: string;
  /** Where dist/ is served, ending with a slash, e.g. "https://widget.example.com/". */
  widgetUrl: string;
  /** The signed-in customer's JWT (signed with the project key), if any. */
  jwt?: string;
  settings?: Partial<TiledeskSettings>;
}

/** Runs the standard snippet (a no-op when it already ran). */
function loadSnippet(widgetUrl: string): void {
  if (document.getElementById('tiledesk-jssdk')) return;
  const queue: IArguments[] = [];
  const f = function () { queue.push(arguments); } as unknown as TiledeskFunction;
  f.q = queue;
  window.Tiledesk = f;
  const script = document.createElement('script');
  script.id = 'tiledesk-jssdk';
  script.async = true;
  script.src = widgetUrl + 'launch.js';
  document.head.appendChild(script);
}

export function TiledeskChat({ projectId, widgetUrl, jwt, settings }: Props) {
  const [unread, setUnread] = useState(0);

  useEffect(() => {
    window.tiledeskSettings = { ...settings, projectid: projectId };
    loadSnippet(widgetUrl);
    window.Tiledesk('onMessageCreated', (e) => {
      if (e.detail.message.sender !== undefined) setUnread((n) => n + 1);
    });
    window.Tiledesk('onOpen', () => setUnread(0));
    if (jwt) {
      window.Tiledesk('signInWithCustomToken', jwt)?.then(
        (user) => console.log('chat user', user._id),
        (error: Error) => console.warn(error.message),
      );
    }
    // Unmount (or a change of project) removes the iframe, listeners and globals; the next mount starts afresh.
    return () => window.Tiledesk?.('dispose');
  }, [projectId, widgetUrl, jwt, settings]);

  return (
    <button type="button" onClick={() => window.Tiledesk('open')}>
      Chat with us{unread > 0 ? ` (${unread})` : ''}
    </button>
  );
}
