//! The classes of HTML elements the tree construction rules name, which the depth model follows.

use html5ever::tokenizer::Tag;

use super::Open;

/// Whether a start tag in SVG or MathML ends it and is read as HTML.
pub(super) fn breaks_out(tag: &Tag) -> bool {
    let font = &*tag.name == "font" && tag.attrs.iter().any(|a| matches!(&*a.name.local, "color" | "face" | "size"));
    font || is_heading(&tag.name)
        || matches!(
            &*tag.name,
            "b" | "big"
                | "blockquote"
                | "body"
                | "br"
                | "center"
                | "code"
                | "dd"
                | "div"
                | "dl"
                | "dt"
                | "em"
                | "embed"
                | "head"
                | "hr"
                | "i"
                | "img"
                | "li"
                | "listing"
                | "menu"
                | "meta"
                | "nobr"
                | "ol"
                | "p"
                | "pre"
                | "ruby"
                | "s"
                | "small"
                | "span"
                | "strong"
                | "strike"
                | "sub"
                | "sup"
                | "table"
                | "tt"
                | "u"
                | "ul"
                | "var"
        )
}

pub(super) fn html(open: &Open, name: &str) -> bool {
    !open.foreign() && &*open.name == name
}

pub(super) fn is_table_part(name: &str) -> bool {
    matches!(name, "td" | "th" | "tr" | "tbody" | "thead" | "tfoot" | "caption" | "colgroup" | "col")
}

pub(super) fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

pub(super) fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "embed"
            | "hr"
            | "img"
            | "image"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// The elements whose start tag closes an open `<p>` (in no-quirks and quirks mode alike: `table` is
/// left out, as quirks mode does not close the paragraph for it).
pub(super) fn closes_p(name: &str) -> bool {
    is_heading(name)
        || matches!(
            name,
            "address"
                | "article"
                | "aside"
                | "blockquote"
                | "center"
                | "details"
                | "dialog"
                | "dir"
                | "div"
                | "dl"
                | "fieldset"
                | "figcaption"
                | "figure"
                | "footer"
                | "header"
                | "hgroup"
                | "main"
                | "menu"
                | "nav"
                | "ol"
                | "p"
                | "search"
                | "section"
                | "summary"
                | "ul"
                | "pre"
                | "listing"
                | "form"
                | "plaintext"
                | "xmp"
        )
}

/// The end tags that close their element when it is "in scope", whatever is open above it.
pub(super) fn closes_in_scope(name: &str) -> bool {
    closes_p(name) && !matches!(name, "p" | "plaintext" | "xmp")
        || matches!(name, "button" | "applet" | "marquee" | "object" | "dd" | "dt")
}

/// The elements a scope check stops at (the default scope of the HTML standard, and `select`, in
/// which the parser reads most tags by rules of its own).
pub(super) fn is_scope_boundary(name: &str) -> bool {
    matches!(name, "applet" | "caption" | "html" | "table" | "td" | "th" | "marquee" | "object" | "template" | "select")
}

/// The elements whose closing ends the formatting activated inside them.
pub(super) fn is_marker(name: &str) -> bool {
    matches!(name, "applet" | "caption" | "td" | "th" | "marquee" | "object" | "template")
}

pub(super) fn is_formatting(name: &str) -> bool {
    matches!(
        name,
        "a" | "b" | "big" | "code" | "em" | "font" | "i" | "nobr" | "s" | "small" | "strike" | "strong" | "tt" | "u"
    )
}

/// The HTML standard's "special" elements: an end tag for another element is not looked for past
/// one. A name on this list that the standard leaves off could only make the model over-estimate.
pub(super) fn is_special(name: &str) -> bool {
    is_void(name)
        || closes_p(name)
        || is_scope_boundary(name)
        || matches!(
            name,
            "body"
                | "button"
                | "col"
                | "colgroup"
                | "dd"
                | "dt"
                | "frame"
                | "frameset"
                | "head"
                | "iframe"
                | "li"
                | "noembed"
                | "noframes"
                | "noscript"
                | "script"
                | "select"
                | "style"
                | "tbody"
                | "textarea"
                | "tfoot"
                | "thead"
                | "title"
                | "tr"
        )
}
