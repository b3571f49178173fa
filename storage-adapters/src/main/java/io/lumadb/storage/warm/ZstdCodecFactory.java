package io.lumadb.storage.warm;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Parquet compression without Hadoop's codec classes: ZSTD (what LumaDB writes) through
 * zstd-jni, SNAPPY through snappy-java, and uncompressed pages.
 */
final class ZstdCodecFactory implements CompressionCodecFactory {
  static final ZstdCodecFactory INSTANCE = new ZstdCodecFactory(3);

  private final int level;

  ZstdCodecFactory(int level) {
    this.level = level;
  }

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    return new BytesInputCompressor() {
      @Override
      public BytesInput compress(BytesInput bytes) throws IOException {
        byte[] in = bytes.toByteArray();
        return switch (codec) {
          case ZSTD -> BytesInput.from(Zstd.compress(in, level));
          case SNAPPY -> BytesInput.from(Snappy.compress(in));
          case UNCOMPRESSED -> BytesInput.from(in);
          default -> throw new IOException("unsupported Parquet codec " + codec);
        };
      }

      @Override
      public CompressionCodecName getCodecName() {
        return codec;
      }

      @Override
      public void release() {}
    };
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    return new BytesInputDecompressor() {
      @Override
      public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
        byte[] in = bytes.toByteArray();
        return BytesInput.from(decompressArray(codec, in, uncompressedSize));
      }

      @Override
      public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
          throws IOException {
        byte[] in = new byte[compressedSize];
        input.get(in);
        output.put(decompressArray(codec, in, uncompressedSize));
      }

      @Override
      public void release() {}
    };
  }

  private static byte[] decompressArray(CompressionCodecName codec, byte[] in, int size) throws IOException {
    return switch (codec) {
      case ZSTD -> {
        byte[] out = Zstd.decompress(in, size);
        if (out.length != size) {
          throw new IOException("ZSTD page decompressed to " + out.length + " bytes, expected " + size);
        }
        yield out;
      }
      case SNAPPY -> Snappy.uncompress(in);
      case UNCOMPRESSED -> in;
      default -> throw new IOException("unsupported Parquet codec " + codec);
    };
  }

  @Override
  public void release() {}
}
