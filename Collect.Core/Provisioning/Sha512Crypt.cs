using System.Security.Cryptography;
using System.Text;

namespace Collect.Core.Provisioning;

/// <summary>
/// SHA-512 crypt ("$6$"), the root-password hash installers accept (preseed's root-password-crypted, kickstart's
/// rootpw --iscrypted, cloud-init's passwd), following Ulrich Drepper's published specification with the default
/// 5,000 rounds. The plain password never reaches a template.
/// </summary>
public static class Sha512Crypt
{
    private const string Alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int Rounds = 5000;

    public static string Hash(string password, string? salt = null)
    {
        salt ??= new string(RandomNumberGenerator.GetItems(Alphabet.AsSpan(), 16));
        if (salt.Length > 16) salt = salt[..16];
        var key = Encoding.UTF8.GetBytes(password);
        var saltBytes = Encoding.UTF8.GetBytes(salt);

        var b = Digest(key, saltBytes, key);
        using var a = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        a.AppendData(key);
        a.AppendData(saltBytes);
        AppendRepeated(a, b, key.Length);
        for (var length = key.Length; length > 0; length >>= 1) a.AppendData((length & 1) != 0 ? b : key);
        var current = a.GetHashAndReset();

        using var dp = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        for (var i = 0; i < key.Length; i++) dp.AppendData(key);
        var p = Repeat(dp.GetHashAndReset(), key.Length);

        using var ds = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        for (var i = 0; i < 16 + current[0]; i++) ds.AppendData(saltBytes);
        var s = Repeat(ds.GetHashAndReset(), saltBytes.Length);

        using var c = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        for (var round = 0; round < Rounds; round++)
        {
            c.AppendData((round & 1) != 0 ? p : current);
            if (round % 3 != 0) c.AppendData(s);
            if (round % 7 != 0) c.AppendData(p);
            c.AppendData((round & 1) != 0 ? current : p);
            current = c.GetHashAndReset();
        }

        var output = new StringBuilder("$6$").Append(salt).Append('$');
        int[][] groups =
        [
            [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7], [50, 8, 29], [9, 30, 51],
            [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60],
            [40, 61, 19], [62, 20, 41],
        ];
        foreach (var g in groups) Encode(output, current[g[0]], current[g[1]], current[g[2]], 4);
        Encode(output, 0, 0, current[63], 2);
        return output.ToString();
    }

    private static byte[] Digest(params byte[][] parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        foreach (var part in parts) hash.AppendData(part);
        return hash.GetHashAndReset();
    }

    private static void AppendRepeated(IncrementalHash hash, byte[] block, int length)
    {
        for (; length > 64; length -= 64) hash.AppendData(block);
        hash.AppendData(block, 0, length);
    }

    private static byte[] Repeat(byte[] block, int length)
    {
        var result = new byte[length];
        for (var i = 0; i < length; i++) result[i] = block[i % block.Length];
        return result;
    }

    private static void Encode(StringBuilder output, byte b2, byte b1, byte b0, int count)
    {
        var w = (b2 << 16) | (b1 << 8) | b0;
        for (var i = 0; i < count; i++, w >>= 6) output.Append(Alphabet[w & 0x3f]);
    }
}
