import { getTranslations } from "next-intl/server";
import { Badge, Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { requirePermission } from "@/lib/auth/current-user";
import { listStaff } from "@/lib/db/staff-reads";
import { CreateStaffForm, SendStaffResetLinkButton, ToggleStaffButton } from "./staff-forms";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.staff"))("title") };
}

export default async function StaffPage() {
  const me = await requirePermission("manageStaff");
  const [t, roles, staff] = await Promise.all([getTranslations("admin.staff"), getTranslations("admin.roles"), listStaff()]);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="max-w-3xl text-stone-700">{t("intro")}</p>
      <DataTable columns={[{ label: t("name") }, { label: t("email") }, { label: t("role") }, { label: t("status") }, { label: t("status"), srOnly: true }]}>
            {staff.map((user) => (
              <tr key={user.id}>
                <td className="p-3 font-medium">{user.name}</td>
                <td className="p-3">{user.email}</td>
                <td className="p-3">{roles(user.role)}</td>
                <td className="p-3"><Badge>{user.isActive ? t("active") : t("inactive")}</Badge></td>
                <td className="p-3">
                  {user.id === me.id ? null : (
                    <div className="flex flex-wrap items-start gap-2">
                      <ToggleStaffButton userId={user.id} isActive={user.isActive} name={user.name} />
                      {user.isActive ? <SendStaffResetLinkButton userId={user.id} name={user.name} /> : null}
                    </div>
                  )}
                </td>
              </tr>
            ))}
      </DataTable>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("add")}</h2>
        <CreateStaffForm />
      </Card>
    </div>
  );
}
