using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Security.Cryptography;

namespace Collect.Core.Access;

/// <summary>
/// An OpenSSH public key line (<c>type base64 [comment]</c>) whose blob has been checked against the SSH wire
/// format (RFC 4253 §6.6, RFC 5656, RFC 8709), so what Collect puts on machines is a key sshd will accept.
/// </summary>
public sealed record SshPublicKey(string Type, byte[] Blob, int Bits, string? Comment)
{
    public const int MaxLength = 16384;
    public const int MinRsaBits = 1024;
    /// <summary>OpenSSH refuses larger RSA moduli.</summary>
    public const int MaxRsaBits = 16384;

    public static readonly IReadOnlyList<string> SupportedTypes =
        ["ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"];

    /// <summary>As <c>ssh-keygen -lf</c> prints it: SHA-256 of the blob, base64 without padding.</summary>
    public string Fingerprint => "SHA256:" + Convert.ToBase64String(SHA256.HashData(Blob)).TrimEnd('=');

    /// <summary>The key as one line with single spaces, the blob re-encoded from what was decoded.</summary>
    public override string ToString() =>
        Comment is null ? $"{Type} {Convert.ToBase64String(Blob)}" : $"{Type} {Convert.ToBase64String(Blob)} {Comment}";

    /// <summary>Parses and checks a key; on failure <paramref name="error"/> says what is wrong, for the pubkey field.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SshPublicKey? key, [NotNullWhen(false)] out string? error)
    {
        error = Check(text, out key);
        return error is null;
    }

    private static string? Check(string? text, out SshPublicKey? key)
    {
        key = null;
        var line = text?.Trim();
        if (string.IsNullOrEmpty(line)) return "The pubkey field is required.";
        if (line.Length > MaxLength) return $"The pubkey must not be greater than {MaxLength} characters.";
        if (line.Contains("PRIVATE KEY", StringComparison.Ordinal))
            return "The pubkey is a private key: never share it. Paste the public key (the .pub file) instead.";
        if (line.Contains('\n') || line.Contains('\r')) return "The pubkey must be a single key on one line.";

        var parts = line.Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries);
        var type = parts[0];
        if (!SupportedTypes.Contains(type))
            return $"The pubkey type \"{Cut(type)}\" is not supported; use ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521.";
        if (parts.Length < 2) return "The pubkey has no key data after its type.";

        var blob = new byte[parts[1].Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(parts[1], blob, out var length)) return "The pubkey data is not valid base64.";
        blob = blob[..length];
        var comment = parts.Length > 2 ? parts[2].Trim() : null;

        var reader = new WireReader(blob);
        if (!reader.TryString(out var inner)) return "The pubkey data is truncated.";
        var innerType = System.Text.Encoding.ASCII.GetString(inner);
        if (innerType != type)
            return $"The pubkey says \"{type}\" but its data holds a \"{Cut(innerType)}\" key.";

        var (bits, problem) = type switch
        {
            "ssh-ed25519" => Ed25519(ref reader),
            "ssh-rsa" => Rsa(ref reader),
            _ => Ecdsa(ref reader, type["ecdsa-sha2-".Length..]),
        };
        if (problem is not null) return problem;
        if (!reader.AtEnd) return "The pubkey data has extra bytes after the key.";
        key = new SshPublicKey(type, blob, bits, string.IsNullOrEmpty(comment) ? null : comment);
        return null;
    }

    private static (int, string?) Ed25519(ref WireReader reader)
    {
        if (!reader.TryString(out var point)) return (0, "The pubkey data is truncated.");
        return point.Length == 32 ? (256, null) : (0, $"The ssh-ed25519 key must be 32 bytes, not {point.Length}.");
    }

    private static (int, string?) Rsa(ref WireReader reader)
    {
        if (!reader.TryString(out var e) || !reader.TryString(out var n)) return (0, "The pubkey data is truncated.");
        if (!IsPositiveMpint(e) || !IsPositiveMpint(n)) return (0, "The ssh-rsa key has a malformed exponent or modulus.");
        var exponent = new BigInteger(e, isUnsigned: true, isBigEndian: true);
        if (exponent < 3 || exponent.IsEven) return (0, "The ssh-rsa key has an invalid public exponent.");
        var modulus = new BigInteger(n, isUnsigned: true, isBigEndian: true);
        if (modulus.IsEven) return (0, "The ssh-rsa key has an invalid modulus.");
        var bits = (int)modulus.GetBitLength();
        if (bits < MinRsaBits) return (0, $"The ssh-rsa key has only {bits} bits; at least {MinRsaBits} are needed (2048 or more recommended).");
        if (bits > MaxRsaBits) return (0, $"The ssh-rsa key has {bits} bits; at most {MaxRsaBits} are supported.");
        return (bits, null);
    }

    private static (int, string?) Ecdsa(ref WireReader reader, string curveName)
    {
        if (!reader.TryString(out var curveBytes) || !reader.TryString(out var point)) return (0, "The pubkey data is truncated.");
        var curve = System.Text.Encoding.ASCII.GetString(curveBytes);
        if (curve != curveName) return (0, $"The pubkey says curve {curveName} but its data names \"{Cut(curve)}\".");
        var (bits, size, oid) = curveName switch
        {
            "nistp256" => (256, 32, ECCurve.NamedCurves.nistP256),
            "nistp384" => (384, 48, ECCurve.NamedCurves.nistP384),
            _ => (521, 66, ECCurve.NamedCurves.nistP521),
        };
        if (point.Length != 1 + 2 * size || point[0] != 0x04)
            return (0, $"The {curveName} point must be {1 + 2 * size} bytes, uncompressed, not {point.Length}.");
        try
        {
            using var ecdsa = ECDsa.Create(new ECParameters
            {
                Curve = oid,
                Q = new ECPoint { X = point[1..(1 + size)].ToArray(), Y = point[(1 + size)..].ToArray() },
            });
        }
        catch (CryptographicException)
        {
            return (0, $"The ecdsa-sha2-{curveName} key is not a point on its curve.");
        }
        return (bits, null);
    }

    /// <summary>An SSH mpint is two's complement: a set top bit would make it negative.</summary>
    private static bool IsPositiveMpint(ReadOnlySpan<byte> value) =>
        value.Length > 0 && (value[0] & 0x80) == 0 && value.ContainsAnyExcept((byte)0);

    private static string Cut(string value) => value.Length <= 40 ? value : value[..40] + "…";

    /// <summary>Reads the length-prefixed strings of the SSH wire format.</summary>
    private ref struct WireReader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public readonly bool AtEnd => _rest.IsEmpty;

        public bool TryString(out ReadOnlySpan<byte> value)
        {
            value = default;
            if (_rest.Length < 4) return false;
            var length = BinaryPrimitives.ReadUInt32BigEndian(_rest);
            if (length > (uint)(_rest.Length - 4)) return false;
            value = _rest.Slice(4, (int)length);
            _rest = _rest[(4 + (int)length)..];
            return true;
        }
    }
}
