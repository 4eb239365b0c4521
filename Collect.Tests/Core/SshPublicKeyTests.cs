using System.Buffers.Binary;
using System.Text;
using Collect.Core.Access;

namespace Collect.Tests.Core;

/// <summary>Real keys made with ssh-keygen (OpenSSH 9.2); fingerprints and sizes as <c>ssh-keygen -lf</c> printed them.</summary>
internal static class SshTestKeys
{
    public const string Ed25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIER25n+R0AT20DuC/FQv2IdV9c+Owmsv40IRZleeNZVF test@ed25519";
    public const string Ed25519Fingerprint = "SHA256:Zbb6LRMskFCWS/utdCpwxlN9oVgPC6vb+ffwoDPxI/w";

    public const string Ed25519Second = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHaHqJAIfmogNHI85IQGKPyTbU7m4kS5RMWSCdQKaBJB second";
    public const string Ed25519SecondFingerprint = "SHA256:vAgY5/uH9gm8BBiPzahpl7WjAGis4PTP6CHreCBQ3Fc";

    public const string Rsa1024 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCyX2Um97xEvg81Cg9SnbFkvyLvZEPfsiqvHUtO8ldcd9RvPJDj5cFyJNb7h21U/xxKdoOJW+mVZXCem5EEKy29FIWNv6+GGri+VCeMj+h0a6nS2ZXfWC7yXIjt0JgmchDXgKGDvzBAtjjaysZtiSa1xgxgQy6eijJIpJRXsgwBwQ== test@rsa1024";
    public const string Rsa1024Fingerprint = "SHA256:BB1rG+3izinE0mPtw91Kwpmkkk6qu2pOVJXKt1WlNJs";

    public const string Rsa2048 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCnHY6tZIxd8m/psBMipHt2CoDYthJR+Uz1OcvYz+0cqeMAi8S/XE+l/tntvpegrXs++QbYt9ymNiYvlQpvRN1cHSv+IrrpIA0p45b+Dx6ozZ+Ht0hj7THrx/tCU4elRy94pKo6dJybdS6ovO2eEz7q+4qqizUyjaQjJvnw9C6Haw000lireWur/fXsMKARrJ0e8npc8r2tBmcyrFs0QyU0SdaTMXnswlAjMTBjdsMigTICiBGLVHYMYhWlaB7SoU87CXnsOIAB0jNMumPLlZAeo+MhByivfuRT9csMxyKvek6v5HMPrBKsfHijgx+Bpra/20rcEgFrrOY+kuCQHaSH test@rsa2048";
    public const string Rsa2048Fingerprint = "SHA256:OSp3avHG4VaBYNlF9A/scbDm9+VT+Jwmt6F3qo7082c";

    /// <summary>The key of seed 002's examples.</summary>
    public const string Rsa3072Seed = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQCPMKW3XDPL0k257n8IBrmJrhSTOfczRjD5V5nou8uYCg1HJHnaCtdgPPdCQPfg5jYVKP5MCsgFBbfCWXv8GgDZAI905Yel46ZcRBkC0JKVkkc53I+wS/zmwfxXzvkV6GRbCISnc1n98+wE4z+Qtg9FV+VAhJzinTCYFo9TV7hwkz7V5e+pj9/5NgfVbFy0H8B2aXqp1F6A7ENBXNrbejXdTyo3lVIq1/tHKfv6mcVmR4b4w7EVI4bvDMDdHeEKfMCvDUG359ElVp7gla5M0kohCCWtgLSchR/6NTEIa6rAFhsmCHCfIE6q959Ff+KUR40e8yzulZtp3NPu8ukUjJtkBA5c4lAE2UUNldyqkWiE8sWAr+GlMjU0UkB3xzB0ID53EKH93WoIapjAnpDYxah8dOdyfk2cSmkdSe8DFNLeWffi8j3Ea9XeCQnMa/VTcSarspnCKL8RG5LL8vGy//0Cs6QXQDn/gCTR2McTPbiiks2sFVWCaIIbgkTs9fGFuhM= root@ansible";
    public const string Rsa3072SeedFingerprint = "SHA256:UoNb0aGTpyuw7Pb/cKVK6djEnHmNTu25ZiE1vtNUhpc";

    public const string Rsa4096 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAACAQDN3v7GyUZt032IFTXxBaqxVHaZX+Ti97g9+2/pmgkVMSJqrFoU9kZnzPKTnAhcu9sRRpb/B+IU5mjI1h7vv75R2Eq6fPtduvUx+dTdf+B8Plbz3sEwQ641FV5yBYqDHdJV+xg97iWaGpbFNdFKzCoHuNNgFcZJzphai5ucmUEcReBCIrcpQukGu0i+HJj9vZrRxRTxSYqDsz179vEE/JvBQ2Oi+R+j9VKLwumpbHIEAulrGmode8FrFfeUV2MbqcU8wVz7cEQl2PEncPDGb24H9LFRnraIo0Pr1vRy3QVYKNjaPMHoxBQEod/qgFFhxuqdICM+IX41l5ab8iMsabzPPKoqatVPx9ak6Act2iPjm4849Nv5czvWf3RgZWthLcjOHeeGQPqQll9GRLCIDFYGPUivuoIFQb7vDgWlruUgycW77jZUBgrQr3/czTfyY7LwXxkYDeC+aryxFR/uMqpPPblqZMadhDlX7yievb1pndDmZUR5nQmT0JQyPII7RmBLLUQIYiZL0lZheP4iKIdaXyjPMwVdvivAKQhIDvWi1Hhi/7lOjf1py6b1LZO078Bji8cnnAn8DugYVAYpkkQZBLPqOUUQLKBEhV8M7tSneb81n/dZRo20ahV5HTpCstX/3tT6n2EXfIArX44OOocbY8oqtwSlB84wC103FElg0Q== test@rsa4096";
    public const string Rsa4096Fingerprint = "SHA256:t2LFgwxDJqb1omDorqnnenWMwIRbbD7n0ny3T0eMbCk";

    public const string Ecdsa256 = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBMi0Qa9r8/H4voVE0jxwRqAWjOCXp262EM4BXtWueG4Y3r+xiZTj9CJhuunrgv7Th2eQXxLbW/A64s4U8ek/6uA= test@ecdsa256";
    public const string Ecdsa256Fingerprint = "SHA256:CiwcFPBR3+NGVXTMUvIdEhjCTESGOup+7LNPB5ZTTTM";

    public const string Ecdsa384 = "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBEhvolsf6nyZe41koe9BI5yv7kv9SCi0jxqErLHqCz9lRm7YVU59LvSlRPaNR3SygN3VrIx3TRDtWJCwQ2BKqARTpu5QOMWHJ/ZRuJpXifMiNSU16ajXeauK2DcAn7/QFQ== test@ecdsa384";
    public const string Ecdsa384Fingerprint = "SHA256:salwyImb9GebEyIPkfQgVogU+8ISDoYXhAQ9Tcs2Fe8";

    public const string Ecdsa521 = "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAEMCD98u/myEroydjZNgqpDUmRMGS1qgfibeypZDO83UE2PelL1AUy3WpVHt+coXtU0xmGQ6nwwFKQIW3GVRx7dsAD48TbQ3wd97wnsKVk2K0gzNa48xuokC+Bx4TCUIIiZy3ZgPZvGAtXrhCgpJVSU89Z0Cb2c2BPZg+C2SK5uIaTKKQ== test@ecdsa521";
    public const string Ecdsa521Fingerprint = "SHA256:WgH+kmSCGBvvRoB0mM9ue7lc0PRUaCYRtRAaXlD2sv8";

    /// <summary>An ssh-rsa line with a 512-bit modulus, which ssh-keygen will not even make any more.</summary>
    public static string Rsa512() => Line("ssh-rsa", Wire(Encoding.ASCII.GetBytes("ssh-rsa"), [0x01, 0x00, 0x01], Modulus(512)));

    /// <summary>A key line from its type and the length-prefixed strings of its blob.</summary>
    public static string Line(string type, byte[] blob) => $"{type} {Convert.ToBase64String(blob)}";

    public static byte[] Wire(params byte[][] strings)
    {
        var output = new List<byte>();
        foreach (var s in strings)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)s.Length);
            output.AddRange(length);
            output.AddRange(s);
        }
        return output.ToArray();
    }

    public static byte[] Blob(string line) => Convert.FromBase64String(line.Split(' ')[1]);

    /// <summary>An odd modulus of exactly that many bits, as a positive mpint (leading zero byte).</summary>
    private static byte[] Modulus(int bits)
    {
        var n = new byte[bits / 8 + 1];
        Array.Fill(n, (byte)0xA5);
        n[0] = 0x00;
        n[1] = 0xC3;
        n[^1] |= 0x01;
        return n;
    }
}

public sealed class SshPublicKeyTests
{
    [Theory]
    [InlineData(SshTestKeys.Ed25519, "ssh-ed25519", 256, SshTestKeys.Ed25519Fingerprint)]
    [InlineData(SshTestKeys.Rsa1024, "ssh-rsa", 1024, SshTestKeys.Rsa1024Fingerprint)]
    [InlineData(SshTestKeys.Rsa2048, "ssh-rsa", 2048, SshTestKeys.Rsa2048Fingerprint)]
    [InlineData(SshTestKeys.Rsa3072Seed, "ssh-rsa", 3072, SshTestKeys.Rsa3072SeedFingerprint)]
    [InlineData(SshTestKeys.Rsa4096, "ssh-rsa", 4096, SshTestKeys.Rsa4096Fingerprint)]
    [InlineData(SshTestKeys.Ecdsa256, "ecdsa-sha2-nistp256", 256, SshTestKeys.Ecdsa256Fingerprint)]
    [InlineData(SshTestKeys.Ecdsa384, "ecdsa-sha2-nistp384", 384, SshTestKeys.Ecdsa384Fingerprint)]
    [InlineData(SshTestKeys.Ecdsa521, "ecdsa-sha2-nistp521", 521, SshTestKeys.Ecdsa521Fingerprint)]
    public void Each_supported_key_type_parses_with_the_fingerprint_and_size_ssh_keygen_prints(string line, string type, int bits, string fingerprint)
    {
        var ok = SshPublicKey.TryParse(line, out var key, out var error);

        Assert.True(ok, error);
        Assert.Equal(type, key!.Type);
        Assert.Equal(bits, key.Bits);
        Assert.Equal(fingerprint, key.Fingerprint);
    }

    [Fact]
    public void The_comment_is_kept_and_the_fingerprint_does_not_depend_on_it()
    {
        var withSpaces = "  " + SshTestKeys.Ed25519.Replace(" test@ed25519", "\tmy laptop  key ") + "\n";
        var bare = string.Join(' ', SshTestKeys.Ed25519.Split(' ')[..2]);

        Assert.True(SshPublicKey.TryParse(withSpaces, out var commented, out _));
        Assert.True(SshPublicKey.TryParse(bare, out var plain, out _));

        Assert.Equal("my laptop  key", commented!.Comment);
        Assert.Equal(bare + " my laptop  key", commented.ToString());
        Assert.Null(plain!.Comment);
        Assert.Equal(bare, plain.ToString());
        Assert.Equal(SshTestKeys.Ed25519Fingerprint, plain.Fingerprint);
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("   ", "required")]
    [InlineData("ssh-ed25519", "no key data")]
    [InlineData("ssh-ed25519 not*base64!", "base64")]
    [InlineData("ssh-dss AAAAB3NzaC1kc3MAAACBAP", "\"ssh-dss\" is not supported")]
    [InlineData("sk-ssh-ed25519@openssh.com AAAA", "is not supported")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----", "is a private key")]
    [InlineData("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIER25n+R0AT20DuC/FQv2IdV9c+Owmsv40IRZleeNZVF", "says \"ssh-rsa\" but its data holds a \"ssh-ed25519\" key")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIER25n+R0AT20DuC/FQv2IdV9c+Owmsv40IRZlee", "truncated")]
    [InlineData("ssh-ed25519 AAAA", "truncated")]
    public void Malformed_keys_are_refused_naming_the_problem(string line, string problem)
    {
        var ok = SshPublicKey.TryParse(line, out var key, out var error);

        Assert.False(ok);
        Assert.Null(key);
        Assert.Contains(problem, error);
    }

    [Fact]
    public void An_rsa_key_under_1024_bits_is_refused_as_weak()
    {
        var ok = SshPublicKey.TryParse(SshTestKeys.Rsa512(), out _, out var error);

        Assert.False(ok);
        Assert.Contains("only 512 bits", error);
    }

    [Fact]
    public void A_key_spanning_two_lines_is_refused()
    {
        var ok = SshPublicKey.TryParse(SshTestKeys.Ed25519 + "\n" + SshTestKeys.Ed25519Second, out _, out var error);

        Assert.False(ok);
        Assert.Contains("one line", error);
    }

    [Fact]
    public void An_ed25519_key_of_the_wrong_length_is_refused()
    {
        var line = SshTestKeys.Line("ssh-ed25519", SshTestKeys.Wire(Encoding.ASCII.GetBytes("ssh-ed25519"), new byte[31]));

        Assert.False(SshPublicKey.TryParse(line, out _, out var error));
        Assert.Contains("32 bytes, not 31", error);
    }

    [Fact]
    public void Extra_bytes_after_the_key_are_refused()
    {
        var line = SshTestKeys.Line("ssh-ed25519", [.. SshTestKeys.Blob(SshTestKeys.Ed25519), 0, 0, 0, 0]);

        Assert.False(SshPublicKey.TryParse(line, out _, out var error));
        Assert.Contains("extra bytes", error);
    }

    [Fact]
    public void An_ecdsa_key_naming_another_curve_is_refused()
    {
        var blob = SshTestKeys.Blob(SshTestKeys.Ecdsa256);
        var point = blob[(blob.Length - 65)..];
        var line = SshTestKeys.Line("ecdsa-sha2-nistp256",
            SshTestKeys.Wire(Encoding.ASCII.GetBytes("ecdsa-sha2-nistp256"), Encoding.ASCII.GetBytes("nistp384"), point));

        Assert.False(SshPublicKey.TryParse(line, out _, out var error));
        Assert.Contains("curve nistp256 but its data names \"nistp384\"", error);
    }

    [Fact]
    public void An_ecdsa_point_of_the_wrong_length_is_refused()
    {
        var blob = SshTestKeys.Blob(SshTestKeys.Ecdsa384);
        var point = blob[(blob.Length - 97)..];
        var line = SshTestKeys.Line("ecdsa-sha2-nistp256",
            SshTestKeys.Wire(Encoding.ASCII.GetBytes("ecdsa-sha2-nistp256"), Encoding.ASCII.GetBytes("nistp256"), point));

        Assert.False(SshPublicKey.TryParse(line, out _, out var error));
        Assert.Contains("must be 65 bytes", error);
    }

    [Fact]
    public void An_ecdsa_point_off_its_curve_is_refused()
    {
        var blob = SshTestKeys.Blob(SshTestKeys.Ecdsa256);
        blob[^1] ^= 0x01;

        Assert.False(SshPublicKey.TryParse(SshTestKeys.Line("ecdsa-sha2-nistp256", blob), out _, out var error));
        Assert.Contains("not a point on its curve", error);
    }

    [Fact]
    public void An_rsa_key_with_a_negative_modulus_is_refused()
    {
        var modulus = new byte[256];
        Array.Fill(modulus, (byte)0xFF);
        var line = SshTestKeys.Line("ssh-rsa", SshTestKeys.Wire(Encoding.ASCII.GetBytes("ssh-rsa"), [0x01, 0x00, 0x01], modulus));

        Assert.False(SshPublicKey.TryParse(line, out _, out var error));
        Assert.Contains("malformed exponent or modulus", error);
    }
}
