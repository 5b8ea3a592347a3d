//! [`Backend`]: s3s-fs, plus the two tagging calls the API makes when it commits
//! a photo (`PutObjectTagging`, `DeleteObjectTagging`), which s3s-fs lacks.
//!
//! In AWS those tags let the bucket's lifecycle expire uploads that were never
//! committed and move originals to a cheaper storage class. Here the sweep
//! (`sweep.rs`) removes uncommitted uploads by asking the index, and there is
//! no other storage class, so the store keeps no tags: it answers the calls as
//! S3 does (success for an object that exists, `NoSuchKey` otherwise) so the
//! API runs the same code against both.

use s3s::{
    S3, S3Request, S3Response, S3Result,
    dto::{
        DeleteObjectInput, DeleteObjectOutput, DeleteObjectTaggingInput, DeleteObjectTaggingOutput,
        GetObjectInput, GetObjectOutput, HeadObjectInput, HeadObjectOutput, PutObjectInput,
        PutObjectOutput, PutObjectTaggingInput, PutObjectTaggingOutput,
    },
};
use s3s_fs::FileSystem;

pub struct Backend(pub FileSystem);

impl Backend {
    /// `NoSuchKey` unless the object is there, as S3 answers tagging calls.
    async fn must_exist<T>(
        &self,
        request: S3Request<T>,
        bucket: String,
        key: String,
    ) -> S3Result<()> {
        let head = request.map_input(|_| HeadObjectInput {
            bucket,
            key,
            ..HeadObjectInput::default()
        });
        self.0.head_object(head).await.map(drop)
    }
}

#[async_trait::async_trait]
impl S3 for Backend {
    async fn put_object(
        &self,
        request: S3Request<PutObjectInput>,
    ) -> S3Result<S3Response<PutObjectOutput>> {
        self.0.put_object(request).await
    }

    async fn get_object(
        &self,
        request: S3Request<GetObjectInput>,
    ) -> S3Result<S3Response<GetObjectOutput>> {
        self.0.get_object(request).await
    }

    async fn head_object(
        &self,
        request: S3Request<HeadObjectInput>,
    ) -> S3Result<S3Response<HeadObjectOutput>> {
        self.0.head_object(request).await
    }

    async fn delete_object(
        &self,
        request: S3Request<DeleteObjectInput>,
    ) -> S3Result<S3Response<DeleteObjectOutput>> {
        self.0.delete_object(request).await
    }

    async fn put_object_tagging(
        &self,
        request: S3Request<PutObjectTaggingInput>,
    ) -> S3Result<S3Response<PutObjectTaggingOutput>> {
        let (bucket, key) = (request.input.bucket.clone(), request.input.key.clone());
        self.must_exist(request, bucket, key).await?;
        Ok(S3Response::new(PutObjectTaggingOutput::default()))
    }

    async fn delete_object_tagging(
        &self,
        request: S3Request<DeleteObjectTaggingInput>,
    ) -> S3Result<S3Response<DeleteObjectTaggingOutput>> {
        let (bucket, key) = (request.input.bucket.clone(), request.input.key.clone());
        self.must_exist(request, bucket, key).await?;
        Ok(S3Response::new(DeleteObjectTaggingOutput::default()))
    }
}
