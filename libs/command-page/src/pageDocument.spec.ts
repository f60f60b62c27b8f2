import { createHash } from 'node:crypto';
import { commandPageDocument } from './pageDocument';

const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

describe('commandPageDocument', () => {
  const { html, contentSecurityPolicy } = commandPageDocument({ writes: true, queues: ['validate', '</script><b>'], writeHeader: 'x-commandflow-page' });
  const inline = (tag: 'script' | 'style') => [...html.matchAll(new RegExp(`<${tag}(?: [^>]*)?>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => match[1] as string);

  it('allows exactly its own inline script and styles, by hash, and loads nothing from elsewhere', () => {
    const [config, script] = inline('script');
    const [styles] = inline('style');
    expect(contentSecurityPolicy).toContain(`script-src ${hashOf(script as string)};`);
    expect(contentSecurityPolicy).toContain(`style-src ${hashOf(styles as string)};`);
    expect(contentSecurityPolicy).toMatch(/^default-src 'none';/);
    expect(JSON.parse(config as string)).toEqual({ writes: true, queues: ['validate', '</script><b>'], writeHeader: 'x-commandflow-page' });
    expect(html).not.toMatch(/\bsrc=|<link|https?:\/\//);
  });

  it('carries a script that refers to nothing outside itself (it is serialised into the page)', () => {
    const [, script] = inline('script');
    expect(script).toMatch(/^\(function commandPageScript\(\) \{[\s\S]*\}\)\(\);$/);
    expect(() => new Function(script as string)).not.toThrow();
    expect(script).not.toMatch(/\brequire\(|\bimport\(|\b_[a-z_]+\d*\.|__name\(/);
  });
});
