//! The self-signed TLS material, one row per database whatever the number of replicas
//! (`docs/tls.md`).

use super::PgStore;
use crate::store::records::{StoredLeaf, StoredTls, TLS_COLUMNS};

impl PgStore {
    pub async fn tls_material(&self) -> sqlx::Result<Option<StoredTls>> {
        sqlx::query_as(&format!(
            "SELECT {TLS_COLUMNS} FROM tls_material WHERE id = 1"
        ))
        .fetch_optional(&self.pool)
        .await
    }

    pub async fn install_tls_if_none(
        &self,
        candidate: &StoredTls,
        now: i64,
    ) -> sqlx::Result<StoredTls> {
        // A replica racing this one waits on the primary key until the first insert commits, then
        // inserts nothing: both read the same winner below.
        sqlx::query(
            "INSERT INTO tls_material (id, ca_cert_pem, ca_key_pem, leaf_cert_pem, leaf_key_pem,
                 hostnames, leaf_not_after, created_at, leaf_issued_at)
             VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
        )
        .bind(&candidate.ca_cert_pem)
        .bind(&candidate.ca_key_pem)
        .bind(&candidate.leaf.cert_pem)
        .bind(&candidate.leaf.key_pem)
        .bind(&candidate.leaf.hostnames)
        .bind(candidate.leaf.not_after)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        self.stored_tls().await
    }

    pub async fn replace_tls_leaf(
        &self,
        seen_cert_pem: &str,
        leaf: &StoredLeaf,
        now: i64,
    ) -> sqlx::Result<StoredTls> {
        // Compare-and-set: of replicas replacing the same certificate, one does; the others wait
        // for its commit, find the certificate changed and update nothing.
        sqlx::query(
            "UPDATE tls_material SET leaf_cert_pem = $1, leaf_key_pem = $2, hostnames = $3,
                 leaf_not_after = $4, leaf_issued_at = $5
             WHERE id = 1 AND leaf_cert_pem = $6",
        )
        .bind(&leaf.cert_pem)
        .bind(&leaf.key_pem)
        .bind(&leaf.hostnames)
        .bind(leaf.not_after)
        .bind(now)
        .bind(seen_cert_pem)
        .execute(&self.pool)
        .await?;
        self.stored_tls().await
    }

    async fn stored_tls(&self) -> sqlx::Result<StoredTls> {
        sqlx::query_as(&format!(
            "SELECT {TLS_COLUMNS} FROM tls_material WHERE id = 1"
        ))
        .fetch_one(&self.pool)
        .await
    }
}
