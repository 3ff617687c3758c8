import type { Choosing } from '../../connections/callback.ts';
import { escapeHtml, page } from './html.ts';

/**
 * The page where a person picks one of several things the service offered right after they
 * consented (several Atlassian sites), before the connection is saved. A plain form, no script:
 * it posts the waiting flow's single-use handle and the index picked; labels came from the
 * service and are escaped. Nothing secret is on it.
 */
export function choicePage(choosing: Choosing, publicUrl: string): string {
  const options = choosing.options
    .map(
      (label, index) =>
        `<p><label><input type="radio" name="option" value="${index}" required${index === 0 ? ' checked' : ''}> ${escapeHtml(label)}</label></p>`,
    )
    .join('\n');
  return page(
    'Choose one',
    `<h1>Choose one</h1>
<form method="post" action="${escapeHtml(publicUrl)}/oauth/choose">
<input type="hidden" name="choice" value="${escapeHtml(choosing.choice)}">
<fieldset>
<legend>${escapeHtml(choosing.prompt)}</legend>
${options}
</fieldset>
<p><button type="submit">Continue</button></p>
</form>
<p><a href="${escapeHtml(publicUrl)}/">Back to Hitch</a></p>`,
  );
}
