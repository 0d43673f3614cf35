//! PLACEHOLDER: the signed Partner Central client (to be replaced; the public API is fixed).

use std::time::Duration;

use futures::stream::BoxStream;

use super::Error;
use super::model::*;

/// Client-side request rate limits, per second (the service's quotas are 10 reads, 1 write).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimits {
    pub reads_per_second: f64,
    pub writes_per_second: f64,
}

/// How to reach and call the service.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// Base URL, e.g. `https://partnercentral-selling.us-east-1.api.aws`.
    pub endpoint: String,
    pub region: String,
    /// AWS profile name (`--profile` / `AWS_PROFILE`); `None` is the default chain.
    pub profile: Option<String>,
    /// Total attempts per call, including the first (default 5).
    pub max_attempts: u32,
    /// `None` turns the client-side limiter off.
    pub rate_limits: Option<RateLimits>,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
}

/// Static credentials for the emulator and tests.
#[derive(Clone, Debug)]
pub struct StaticCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

/// A cheap-to-clone handle to the signed client (one connection pool, shared credentials cache).
#[derive(Clone)]
pub struct Client {}

impl Client {
    /// A client whose credentials come from the AWS default chain / profile (aws-config).
    pub async fn new(config: ClientConfig) -> Result<Client, Error> {
        let _ = config;
        todo!()
    }

    /// A client with fixed credentials (the embedded emulator, tests).
    pub fn with_static_credentials(config: ClientConfig, credentials: StaticCredentials) -> Client {
        let _ = (config, credentials);
        todo!()
    }

    pub async fn list_engagement_invitations(
        &self,
        request: &ListEngagementInvitationsRequest,
    ) -> Result<ListEngagementInvitationsResponse, Error> {
        let _ = request;
        todo!()
    }

    /// Every page of a listing, following NextToken until the end or `max_items` summaries.
    pub fn paginate_invitations(
        &self,
        request: ListEngagementInvitationsRequest,
        max_items: Option<usize>,
    ) -> BoxStream<'static, Result<Vec<EngagementInvitationSummary>, Error>> {
        let _ = (request, max_items);
        todo!()
    }

    pub async fn get_engagement_invitation(
        &self,
        catalog: &str,
        identifier: &str,
    ) -> Result<EngagementInvitation, Error> {
        let _ = (catalog, identifier);
        todo!()
    }

    /// Fills a missing ClientToken with a fresh UUID; retries reuse the same token.
    pub async fn create_engagement_invitation(
        &self,
        request: &CreateEngagementInvitationRequest,
    ) -> Result<CreateEngagementInvitationResponse, Error> {
        let _ = request;
        todo!()
    }

    pub async fn accept_engagement_invitation(
        &self,
        catalog: &str,
        identifier: &str,
    ) -> Result<(), Error> {
        let _ = (catalog, identifier);
        todo!()
    }

    pub async fn reject_engagement_invitation(
        &self,
        request: &RejectEngagementInvitationRequest,
    ) -> Result<(), Error> {
        let _ = request;
        todo!()
    }

    pub async fn list_engagement_members(
        &self,
        request: &ListEngagementMembersRequest,
    ) -> Result<ListEngagementMembersResponse, Error> {
        let _ = request;
        todo!()
    }

    /// Every member of an engagement, all pages merged.
    pub async fn list_all_engagement_members(
        &self,
        catalog: &str,
        engagement_id: &str,
    ) -> Result<Vec<EngagementMember>, Error> {
        let _ = (catalog, engagement_id);
        todo!()
    }
}
