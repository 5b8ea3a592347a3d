//! [`Backend`]: s3s-fs, plus the two tagging calls the API makes when it commits
//! a photo (`PutObjectTagging`, `DeleteObjectTagging`), which s3s-fs lacks, and
//! the multipart upload calls (large files in parts, and parts copied from
//! another object for a video's copy without its location), which it has.
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
        AbortMultipartUploadInput, AbortMultipartUploadOutput, CompleteMultipartUploadInput,
        CompleteMultipartUploadOutput, CreateMultipartUploadInput, CreateMultipartUploadOutput,
        DeleteObjectInput, DeleteObjectOutput, DeleteObjectTaggingInput, DeleteObjectTaggingOutput,
        GetObjectInput, GetObjectOutput, HeadObjectInput, HeadObjectOutput, ListObjectsV2Input,
        ListObjectsV2Output, ListPartsInput, ListPartsOutput, PutObjectInput, PutObjectOutput,
        PutObjectTaggingInput, PutObjectTaggingOutput, UploadPartCopyInput, UploadPartCopyOutput,
        UploadPartInput, UploadPartOutput,
    },
};
use std::path::{Path, PathBuf};

use s3s_fs::FileSystem;

pub struct Backend {
    fs: FileSystem,
    /// The store's folder: s3s-fs keeps each multipart upload's record there
    /// (`.upload-{id}.json`) until it is finished or aborted.
    root: PathBuf,
}

impl Backend {
    pub fn new(fs: FileSystem, root: &Path) -> Backend {
        Backend {
            fs,
            root: root.to_owned(),
        }
    }

    /// `NoSuchUpload` unless `upload_id` is an upload under way, as S3 answers
    /// (s3s-fs lists no parts for an unknown upload, and refuses to abort one
    /// with `AccessDenied`).
    fn must_be_under_way(&self, upload_id: &str) -> S3Result<()> {
        let known = uuid_like(upload_id)
            && self
                .root
                .join(format!(".upload-{upload_id}.json"))
                .is_file();
        if known {
            Ok(())
        } else {
            Err(s3s::s3_error!(NoSuchUpload))
        }
    }

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
        self.fs.head_object(head).await.map(drop)
    }
}

#[async_trait::async_trait]
impl S3 for Backend {
    async fn put_object(
        &self,
        request: S3Request<PutObjectInput>,
    ) -> S3Result<S3Response<PutObjectOutput>> {
        self.fs.put_object(request).await
    }

    async fn get_object(
        &self,
        request: S3Request<GetObjectInput>,
    ) -> S3Result<S3Response<GetObjectOutput>> {
        self.fs.get_object(request).await
    }

    async fn head_object(
        &self,
        request: S3Request<HeadObjectInput>,
    ) -> S3Result<S3Response<HeadObjectOutput>> {
        self.fs.head_object(request).await
    }

    /// The tools that rebuild the index and check the bucket walk it with this.
    async fn list_objects_v2(
        &self,
        request: S3Request<ListObjectsV2Input>,
    ) -> S3Result<S3Response<ListObjectsV2Output>> {
        self.fs.list_objects_v2(request).await
    }

    async fn delete_object(
        &self,
        request: S3Request<DeleteObjectInput>,
    ) -> S3Result<S3Response<DeleteObjectOutput>> {
        self.fs.delete_object(request).await
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

    async fn create_multipart_upload(
        &self,
        request: S3Request<CreateMultipartUploadInput>,
    ) -> S3Result<S3Response<CreateMultipartUploadOutput>> {
        self.fs.create_multipart_upload(request).await
    }

    async fn upload_part(
        &self,
        request: S3Request<UploadPartInput>,
    ) -> S3Result<S3Response<UploadPartOutput>> {
        self.fs.upload_part(request).await
    }

    /// A part copied from another object (a video's copy for a share link).
    async fn upload_part_copy(
        &self,
        request: S3Request<UploadPartCopyInput>,
    ) -> S3Result<S3Response<UploadPartCopyOutput>> {
        self.must_be_under_way(&request.input.upload_id)?;
        self.fs.upload_part_copy(request).await
    }

    async fn list_parts(
        &self,
        request: S3Request<ListPartsInput>,
    ) -> S3Result<S3Response<ListPartsOutput>> {
        self.must_be_under_way(&request.input.upload_id)?;
        self.fs.list_parts(request).await
    }

    async fn complete_multipart_upload(
        &self,
        request: S3Request<CompleteMultipartUploadInput>,
    ) -> S3Result<S3Response<CompleteMultipartUploadOutput>> {
        self.fs.complete_multipart_upload(request).await
    }

    async fn abort_multipart_upload(
        &self,
        request: S3Request<AbortMultipartUploadInput>,
    ) -> S3Result<S3Response<AbortMultipartUploadOutput>> {
        self.must_be_under_way(&request.input.upload_id)?;
        self.fs.abort_multipart_upload(request).await
    }
}

/// A UUID's shape (what s3s-fs's upload ids are), so an id never names a path.
fn uuid_like(id: &str) -> bool {
    id.len() == 36
        && id.bytes().enumerate().all(|(at, b)| match at {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}
