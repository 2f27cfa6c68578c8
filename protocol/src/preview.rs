//! Link previews: `POST /:project_id/url-preview`, what a page says about itself (its title,
//! description and picture), as Tiledesk answers it.

use serde::{Deserialize, Serialize};

/// Body of `POST /:project_id/url-preview`: up to 10 `http(s)` addresses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UrlPreviewRequest {
    pub urls: Vec<String>,
}

/// One line of the answer, in the order asked: the page's preview, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UrlPreview {
    pub url: String,
    pub success: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<PagePreview>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What a page says about itself in its `<title>` and `og:`/`description` meta tags.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PagePreview {
    pub url: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The page's picture (`og:image`), as an absolute address.
    #[serde(default)]
    pub image: Option<String>,
    #[serde(rename = "siteName", default)]
    pub site_name: Option<String>,
}

/// Most addresses one request may ask for, as on Tiledesk.
pub const MAX_URLS: usize = 10;
