//! The Tiledesk-compatible chat widget.
