//! How deeply HTML nests once an HTML5 parser has built it, measured before one is trusted with it.
//!
//! html5ever's tree builder walks its stack of open elements for many tags, so its time grows with
//! depth × tags, and counting tags in the source misleads: `</x>` closes nothing when a `<div>` is
//! open, `<p>` closes an open `<p>`, `<td>` an open cell. This module runs html5ever's own tokenizer
//! (so it sees exactly the tags the parser sees, comments and raw text such as `<script>` included)
//! and keeps a model of the parser's stack in which an end tag closes only an element that is open and
//! reachable, as the HTML standard's tree construction rules say.
//!
//! The model may over-estimate (it leaves some elements open that the parser would close: a sloppy
//! document then falls back to plain text) but must never under-estimate: wherever a rule is not
//! modelled, the element simply stays open. Two things the parser does without a tag are counted up
//! front: the formatting elements it reopens (a `<b>` a `</p>` closed stays "active" and is reopened
//! in the next paragraph), and the `tbody` and `tr` it adds around a table cell.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};
use html5ever::LocalName;

mod names;

use names::*;

/// How deeply `html` nests once parsed, never less than the parser's deepest stack (past `limit`,
/// the measure stops and returns a value above it).
pub fn html_depth(html: &str, limit: usize) -> usize {
    let sink = Sink { stack: RefCell::new(Stack::new(limit)) };
    let tokenizer = Tokenizer::new(sink, Default::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // The sink never asks the tokenizer to stop for a script, so one feed reads the whole input.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let deepest = tokenizer.sink.stack.borrow().deepest;
    deepest
}

struct Sink {
    stack: RefCell<Stack>,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut stack = self.stack.borrow_mut();
        if stack.deepest > stack.limit {
            return TokenSinkResult::Continue;
        }
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                stack.reconstruct();
                stack.start(&tag)
            }
            Token::CharacterTokens(_) => {
                stack.reconstruct();
                TokenSinkResult::Continue
            }
            Token::TagToken(tag) => {
                stack.end(&tag.name);
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }

    /// In SVG or MathML, `<![CDATA[…]]>` is text, which may hide tags that would otherwise end it.
    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.stack.borrow().open.last().is_some_and(Open::foreign)
    }
}

/// One element the model holds open.
struct Open {
    name: LocalName,
    /// HTML, or SVG and MathML, where tags nest as written and HTML's implied closings do not apply.
    ns: Ns,
    /// How many formatting elements were active when a cell (or another marker) opened: closing it
    /// forgets those activated inside it, as the parser's list of active formatting elements does.
    mark: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ns {
    Html,
    Svg,
    Math,
}

impl Open {
    fn foreign(&self) -> bool {
        self.ns != Ns::Html
    }

    /// Whether a scope check stops here (for SVG and MathML, at the integration points).
    fn ends_scope(&self) -> bool {
        match self.ns {
            Ns::Html => is_scope_boundary(&self.name),
            _ => self.is_integration_point() || &*self.name == "annotation-xml",
        }
    }

    /// Whether an end tag for another element is not looked for past this one.
    fn is_special(&self) -> bool {
        match self.ns {
            Ns::Html => is_special(&self.name),
            _ => self.is_integration_point() || &*self.name == "annotation-xml",
        }
    }

    /// An SVG or MathML element whose content is parsed as HTML again. `annotation-xml` is one only
    /// with some attributes, and is taken for none: then its content nests as written.
    fn is_integration_point(&self) -> bool {
        match self.ns {
            Ns::Html => false,
            Ns::Svg => matches!(&*self.name, "foreignobject" | "desc" | "title"),
            Ns::Math => matches!(&*self.name, "mi" | "mo" | "mn" | "ms" | "mtext"),
        }
    }
}

/// The model of the parser's stack of open elements and of its active formatting elements that are
/// no longer open (which the parser reopens before the next text).
struct Stack {
    open: Vec<Open>,
    closed_formatting: Vec<LocalName>,
    /// The parser's form element pointer: while set, a `<form>` tag is ignored whole.
    in_form: bool,
    deepest: usize,
    limit: usize,
}

impl Stack {
    fn new(limit: usize) -> Stack {
        Stack { open: Vec::new(), closed_formatting: Vec::new(), in_form: false, deepest: 2, limit }
    }

    fn in_foreign(&self) -> bool {
        self.open.last().is_some_and(|o| o.foreign() && !o.is_integration_point())
    }

    fn push(&mut self, name: &LocalName, ns: Ns) {
        self.open.push(Open { name: name.clone(), ns, mark: self.closed_formatting.len() });
        self.measure();
    }

    /// Notes the depth now: what is open, what the parser may reopen, and the `html` and `body`
    /// elements every document has.
    fn measure(&mut self) {
        self.deepest = self.deepest.max(self.open.len() + self.closed_formatting.len() + 2);
    }

    /// Pops the top `n` elements: a formatting element closed by another's end stays active.
    fn pop(&mut self, n: usize) {
        for _ in 0..n.min(self.open.len()) {
            let Some(top) = self.open.pop() else { return };
            // A cell or caption is only ever closed whole ("close the cell"), which forgets what
            // became active inside; an object or marquee closed by another's end does not.
            if matches!(&*top.name, "td" | "th" | "caption") && !top.foreign() {
                self.closed_formatting.truncate(top.mark);
            } else if is_formatting(&top.name) && !top.foreign() {
                self.closed_formatting.push(top.name);
            }
        }
        self.measure();
    }

    /// Pops the top element, closed by its own end tag: a formatting element stops being active, a
    /// marker still forgets what became active inside it.
    fn pop_own(&mut self) {
        if let Some(top) = self.open.pop() {
            if is_marker(&top.name) && !top.foreign() {
                self.closed_formatting.truncate(top.mark);
            }
        }
    }

    /// Pops down to and including the topmost element `is_target` accepts, if one is reachable before
    /// an element `stops` accepts; says whether it did.
    fn close(&mut self, is_target: impl Fn(&Open) -> bool, stops: impl Fn(&Open) -> bool) -> bool {
        for (i, open) in self.open.iter().enumerate().rev() {
            if is_target(open) {
                let above = self.open.len() - i - 1;
                self.pop(above);
                self.pop_own();
                return true;
            }
            if stops(open) {
                return false;
            }
        }
        false
    }

    /// How many of the formatting elements no longer open the parser would reopen now: those that
    /// became inactive since the innermost open cell, caption or object began.
    fn reopenable(&self) -> usize {
        let mark = self.open.iter().rev().find(|o| !o.foreign() && is_marker(&o.name)).map_or(0, |o| o.mark);
        self.closed_formatting.len().saturating_sub(mark)
    }

    /// Reopens the formatting elements the parser reopens before text and most tags.
    fn reconstruct(&mut self) {
        let from = self.closed_formatting.len() - self.reopenable();
        for name in self.closed_formatting.split_off(from) {
            self.open.push(Open { name, ns: Ns::Html, mark: from });
        }
    }

    /// Closes an open `<p>` the way a block's start tag does ("in button scope").
    fn close_p(&mut self) {
        self.close(|o| html(o, "p"), |o| o.ends_scope() || html(o, "button"));
    }

    fn start(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name = &tag.name;
        if self.in_foreign() {
            if !breaks_out(tag) {
                // SVG and MathML nest as written; only `/>` closes at once.
                let ns = self.open.last().map_or(Ns::Html, |o| o.ns);
                self.push(name, ns);
                if tag.self_closing {
                    self.pop_own();
                }
                return TokenSinkResult::Continue;
            }
            // An HTML tag ends the SVG or MathML it appears in.
            while self.in_foreign() {
                self.pop(1);
            }
        }
        let in_select = self.open.iter().any(|o| html(o, "select"));
        match &**name {
            "html" | "head" | "body" => {}
            // In a select the parser reads tags by rules of its own; they are kept open as written.
            _ if in_select && !is_void(name) && !is_table_part(name) && !matches!(&**name, "svg" | "math") => {
                self.push(name, Ns::Html)
            }
            "svg" | "math" => {
                self.push(name, if &**name == "svg" { Ns::Svg } else { Ns::Math });
                if tag.self_closing {
                    self.pop_own();
                }
            }
            n if is_void(n) || n == "frame" => {
                // An element without content: for a moment, one level deeper.
                self.push(name, Ns::Html);
                self.pop_own();
            }
            n if is_table_part(n) => self.table_part(name),
            "li" => self.list_item(|o| html(o, "li"), name),
            "dd" | "dt" => self.list_item(|o| html(o, "dd") || html(o, "dt"), name),
            "rb" | "rp" | "rt" | "rtc" => {
                // Inside a ruby, these first close the items and paragraphs open in it.
                let ruby = self.open.iter().rev().find(|o| html(o, "ruby") || o.ends_scope());
                if ruby.is_some_and(|o| html(o, "ruby")) {
                    while self.open.last().is_some_and(|o| {
                        !o.foreign()
                            && matches!(
                                &*o.name,
                                "dd" | "dt" | "li" | "optgroup" | "option" | "p" | "rb" | "rp" | "rt" | "rtc"
                            )
                    }) {
                        self.pop(1);
                    }
                }
                self.push(name, Ns::Html);
            }
            "table" => {
                // A table opened in a table but not in one of its cells or its caption (content the parser moves
                // out of the table included) closes that table first.
                self.close(
                    |o| html(o, "table"),
                    |o| o.foreign() || html(o, "template") || html(o, "td") || html(o, "th") || html(o, "caption"),
                );
                self.push(name, Ns::Html);
            }
            "form" if self.in_form => {}
            "button" => {
                // A button closes the button it is in.
                self.close(|o| html(o, "button"), Open::ends_scope);
                self.push(name, Ns::Html);
            }
            "option" | "optgroup" => {
                if self.open.last().is_some_and(|o| html(o, "option")) {
                    self.pop(1);
                }
                self.push(name, Ns::Html);
            }
            n if closes_p(n) => {
                self.in_form |= n == "form";
                self.close_p();
                if is_heading(n) && self.open.last().is_some_and(|o| !o.foreign() && is_heading(&o.name)) {
                    self.pop(1);
                }
                self.push(name, Ns::Html);
            }
            _ => self.push(name, Ns::Html),
        }
        // The tokenizer reads these elements' content as text, as the parser tells it to; in a
        // template or a select the parser may ignore the element, so its content is read as tags.
        if self.open.iter().any(|o| html(o, "template") || html(o, "select")) {
            return TokenSinkResult::Continue;
        }
        match &**name {
            "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
            // Not `noscript`: html2text parses without scripting, and reads its content as markup.
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => TokenSinkResult::RawData(RawKind::Rawtext),
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }

    /// `<li>`, `<dd>`, `<dt>`: closes the same kind of item unless a block other than `div`, `p` or
    /// `address` lies between (a nested list), then any open `<p>`.
    fn list_item(&mut self, same: impl Fn(&Open) -> bool, name: &LocalName) {
        self.close(same, |o| o.is_special() && !html(o, "address") && !html(o, "div") && !html(o, "p"));
        self.close_p();
        self.push(name, Ns::Html);
    }

    /// A table's rows and cells: inside a table, a new cell closes the open one, a row the open row,
    /// and the parser adds the `tbody` and `tr` a cell needs. Outside one, the parser ignores them.
    fn table_part(&mut self, name: &LocalName) {
        let boundary = self.open.iter().rposition(|o| o.foreign() || matches!(&*o.name, "table" | "template"));
        let at = match boundary {
            // Outside a table the parser ignores the tag.
            None => return,
            Some(i) if html(&self.open[i], "table") => i,
            // In a template it opens as written; under SVG or MathML it is not modelled and kept open
            // under another name, so that no end tag takes it for a real cell.
            Some(i) => {
                let kept = if self.open[i].foreign() { LocalName::from("unmodelled") } else { name.clone() };
                self.push(&kept, Ns::Html);
                return;
            }
        };
        let keep: &[&str] = match &**name {
            "td" | "th" => &["tr", "tbody", "thead", "tfoot", "table"],
            "tr" => &["tbody", "thead", "tfoot", "table"],
            "col" => &["colgroup", "table"],
            _ => &["table"],
        };
        let top = self.open.iter().rposition(|o| keep.contains(&&*o.name)).unwrap_or(at).max(at);
        self.pop(self.open.len() - top - 1);
        let parent = self.open.last().map(|o| o.name.clone());
        let parent = parent.as_deref().unwrap_or("table");
        match &**name {
            "td" | "th" | "tr" if parent == "table" => self.push(&LocalName::from("tbody"), Ns::Html),
            _ => {}
        }
        if matches!(&**name, "td" | "th") && parent != "tr" {
            self.push(&LocalName::from("tr"), Ns::Html);
        }
        if &**name == "col" && parent == "table" {
            self.push(&LocalName::from("colgroup"), Ns::Html);
        }
        self.push(name, Ns::Html);
        if &**name == "col" {
            self.pop_own();
        }
    }

    fn end(&mut self, name: &LocalName) {
        let n = &**name;
        if self.in_foreign() && matches!(n, "br" | "p") {
            while self.in_foreign() {
                self.pop(1);
            }
        }
        if self.open.iter().any(|o| html(o, "select")) && !matches!(n, "select" | "option" | "optgroup") {
            // In a select the parser ignores other end tags, but for `</p>`, an empty paragraph.
            self.push(name, Ns::Html);
            self.open.pop();
            return;
        }
        if n == "form" {
            self.in_form = false;
            // `</form>` takes the form out of the stack but leaves what is open inside it open, and
            // still inside it in the tree: the form stays counted unless nothing is open inside.
            if self.open.last().is_some_and(|o| html(o, "form")) {
                self.pop_own();
            }
        } else if n == "p" {
            let closed = self.close(|o| html(o, "p"), |o| o.ends_scope() || html(o, "button"));
            if !closed {
                // With no paragraph to close, the parser opens an empty one and closes it.
                self.push(name, Ns::Html);
                self.pop_own();
            }
        } else if n == "li" {
            self.close(|o| html(o, "li"), |o| o.ends_scope() || html(o, "ol") || html(o, "ul"));
        } else if is_heading(n) {
            self.close(|o| !o.foreign() && is_heading(&o.name), Open::ends_scope);
        } else if matches!(n, "td" | "th" | "tr" | "tbody" | "thead" | "tfoot" | "table" | "caption" | "colgroup") {
            self.close(|o| html(o, n), |o| html(o, "table") || html(o, "template"));
        } else if closes_in_scope(n) {
            self.close(|o| html(o, n), Open::ends_scope);
        } else if is_formatting(n) {
            self.end_formatting(name);
        } else {
            // Any other end tag closes the topmost element of its name, unless a special element
            // (a block, a cell) is open above it: then the parser ignores it (`<div></x>`).
            self.close(|o| o.name == *name, Open::is_special);
        }
    }

    /// `</b>` and the like: closes its element if nothing special is open above it; when a block is
    /// (the adoption agency's case) the parser rearranges without deepening, modelled as no change.
    /// One no longer open only stops being active.
    fn end_formatting(&mut self, name: &LocalName) {
        let open = self.open.iter().rposition(|o| !o.foreign() && o.name == *name);
        match open {
            Some(i) if self.open[i + 1..].iter().all(|o| !o.is_special()) => {
                self.pop(self.open.len() - i - 1);
                self.pop_own();
            }
            Some(_) => {}
            None => {
                let from = self.closed_formatting.len() - self.reopenable();
                match self.closed_formatting[from..].iter().rposition(|n| n == name) {
                    Some(i) => {
                        self.closed_formatting.remove(from + i);
                    }
                    None => {
                        self.close(|o| o.name == *name, Open::is_special);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
