// Accessibility audits with axe-core, run inside a Playwright frame (the widget's iframe, or a top-level page).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/** The WCAG 2.0, 2.1 and 2.2 levels A and AA rules. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let source;

/** The axe-core bundle installed in e2e/node_modules, read once. */
async function axeSource() {
  source ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return source;
}

/** Waits until `frame`'s finite CSS animations and transitions are over and two frames were painted. */
async function settle(frame) {
  await frame.evaluate(async () => {
    const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity);
    await Promise.race([
      Promise.allSettled(finite.map((a) => a.finished)),
      new Promise((done) => setTimeout(done, 2000)),
    ]);
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  });
}

/**
 * Runs axe-core on `frame`'s whole document with the WCAG A/AA rules (injecting axe first if the frame has none).
 * Resolves to `{ violations, incomplete }`, each a list of `{ id, impact, help, nodes: [{ target, summary, html }] }`.
 */
export async function audit(frame) {
  await settle(frame);
  if (!(await frame.evaluate(() => typeof window.axe === 'object'))) {
    await frame.addScriptTag({ content: await axeSource() });
  }
  return frame.evaluate(async (tags) => {
    const results = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'incomplete'] });
    const plain = (list) => list.map((rule) => ({
      id: rule.id,
      impact: rule.impact,
      help: rule.help,
      nodes: rule.nodes.map((node) => ({
        target: node.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' >> '),
        summary: node.failureSummary || '',
        html: node.html.length > 200 ? `${node.html.slice(0, 200)}…` : node.html,
      })),
    }));
    return { violations: plain(results.violations), incomplete: plain(results.incomplete) };
  }, WCAG_TAGS);
}

/** A readable report of `rules` (violations or incomplete results) found on `view`. */
export function describeRules(view, rules) {
  if (rules.length === 0) return `${view}: none`;
  const lines = [`${view}:`];
  for (const rule of rules) {
    lines.push(`  - ${rule.id} (${rule.impact ?? 'n/a'}): ${rule.help}`);
    for (const node of rule.nodes) {
      lines.push(`      target: ${node.target}`);
      lines.push(`      html: ${node.html.replace(/\s+/g, ' ')}`);
      for (const line of node.summary.split('\n').filter(Boolean)) lines.push(`        ${line.trim()}`);
    }
  }
  return lines.join('\n');
}
