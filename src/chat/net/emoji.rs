//! The emoji the picker offers, fetched the first time it opens (`emoji.json` beside the widget's
//! `index.html`: each emoji with its Unicode name), so that they cost the first load nothing.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::Request;

use crate::core::emoji::Emoji;

thread_local! {
    static LOADED: RefCell<Option<Rc<Vec<Emoji>>>> = const { RefCell::new(None) };
}

/// Every emoji, fetched once per page; `None` when they cannot be fetched.
pub async fn emoji() -> Option<Rc<Vec<Emoji>>> {
    if let Some(loaded) = LOADED.with(|l| l.borrow().clone()) {
        return Some(loaded);
    }
    let response = Request::get("emoji.json").send().await.ok()?;
    if !response.ok() {
        return None;
    }
    let list: Vec<Emoji> = response.json().await.ok()?;
    let list = Rc::new(list);
    LOADED.with(|l| *l.borrow_mut() = Some(list.clone()));
    Some(list)
}
