import { createHash } from 'node:crypto';
import { commandPageScript } from './pageScript';
import { pageStyles } from './pageStyles';

/** What the page's script needs to know about the deployment; embedded in the page as JSON. */
export interface CommandPageConfig {
  /** Whether the page may change anything (resubmit dead letters). */
  readonly writes: boolean;
  /** The queues whose dead letters the page lists. */
  readonly queues: readonly string[];
  /** The header its script sends with every write. */
  readonly writeHeader: string;
}

/** The page as served: its HTML and the Content-Security-Policy that lets exactly its own script and styles run. */
export interface CommandPageDocument {
  readonly html: string;
  readonly contentSecurityPolicy: string;
}

const script = `(${commandPageScript.toString()})();`;
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** JSON that is safe inside a `<script>` element (no `</script>`, no HTML comment openers). */
const scriptSafeJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

/**
 * The one HTML document behind every page route: everything it runs and shows ships inside it
 * (no CDN, no other request than the page's own data routes). The script reads the URL to know
 * which view to draw, so every view is a link that can be shared.
 */
export function commandPageDocument(config: CommandPageConfig): CommandPageDocument {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>commandflow</title>
<style>${pageStyles}</style>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" data-link="commands" href="./">commandflow</a>
  <nav aria-label="Sections"><ul>
    <li><a data-link="commands" href="./">Commands</a></li>
    <li><a data-link="dead-letters" href="./dead-letters">Dead letters</a></li>
  </ul></nav>
</header>
<main id="main" tabindex="-1"><p>Loading…</p></main>
<noscript><p>This page needs JavaScript. The same data is at <code>/api/commands</code>.</p></noscript>
<script type="application/json" id="page-config">${scriptSafeJson(config)}</script>
<script>${script}</script>
</body>
</html>
`;
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(pageStyles)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}
