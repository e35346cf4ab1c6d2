import { HTMLElement, NodeType, parse, type Node } from "node-html-parser";
import type { Extracted } from "./normalize";

/** Never visible to a reader (or navigation chrome repeated on every page of a site). */
const SKIPPED = new Set(["head", "script", "style", "noscript", "template", "nav", "svg", "iframe", "object", "canvas"]);
const BLOCKS = new Set([
  "address", "article", "aside", "blockquote", "body", "caption", "details", "dialog", "div", "dl", "fieldset",
  "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "main",
  "ol", "p", "pre", "section", "summary", "table", "ul",
]);
const LINES = new Set(["br", "dd", "dt", "li", "tr"]);
const CELLS = new Set(["td", "th"]);

type Step = { node: Node; inPre: boolean } | { close: string };

/**
 * Visible text: scripts, styles, navigation, head and hidden elements dropped; block elements
 * become paragraph breaks, list items and rows line breaks, cells are spaced; entities decoded.
 * Whitespace collapses as a browser would, except inside <pre>. Title: the <title> element.
 */
export function extractHtml(source: string): Extracted {
  // script/style stay raw text; <pre> is parsed so that markup inside it is not taken for text.
  // node-html-parser keeps <!doctype> and <?xml?> declarations as text nodes.
  const markup = source.replace(/<!doctype[^>]*>|<\?xml[^>]*\?>/gi, "");
  const root = parse(markup, { comment: false, blockTextElements: { script: true, style: true, noscript: true } });
  const title = root.querySelector("title")?.text;
  const parts: string[] = [];
  const stack: Step[] = [{ node: root, inPre: false }];
  while (stack.length) {
    const step = stack.pop()!;
    if ("close" in step) {
      parts.push(step.close);
      continue;
    }
    const { node, inPre } = step;
    if (node.nodeType === NodeType.TEXT_NODE) {
      parts.push(inPre ? node.text : node.text.replace(/\s+/g, " "));
      continue;
    }
    if (!(node instanceof HTMLElement)) continue;
    const tag = node.rawTagName?.toLowerCase() ?? "";
    if (SKIPPED.has(tag) || node.hasAttribute("hidden") || node.getAttribute("aria-hidden") === "true") continue;
    // A line break only opens an item (two adjacent <li> must not make a paragraph break).
    const opening = BLOCKS.has(tag) ? "\n\n" : LINES.has(tag) ? "\n" : CELLS.has(tag) ? " " : "";
    parts.push(opening);
    if (opening !== "\n") stack.push({ close: opening });
    const childInPre = inPre || tag === "pre";
    for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push({ node: node.childNodes[i]!, inPre: childInPre });
  }
  return { text: parts.join(""), title, emptyHint: "The page has no visible text; it may be built by JavaScript in the browser. Save the rendered page instead." };
}
