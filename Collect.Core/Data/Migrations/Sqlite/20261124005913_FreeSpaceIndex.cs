using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Collect.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FreeSpaceIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_IpAddresses_SubnetId_Key",
                table: "IpAddresses");

            migrationBuilder.CreateIndex(
                name: "IX_IpAddresses_SubnetId_Key_Reserved_ServerId",
                table: "IpAddresses",
                columns: new[] { "SubnetId", "Key", "Reserved", "ServerId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_IpAddresses_SubnetId_Key_Reserved_ServerId",
                table: "IpAddresses");

            migrationBuilder.CreateIndex(
                name: "IX_IpAddresses_SubnetId_Key",
                table: "IpAddresses",
                columns: new[] { "SubnetId", "Key" });
        }
    }
}
