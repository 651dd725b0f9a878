import { getTranslations } from "next-intl/server";
import { Badge, Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/current-user";
import { listStaff } from "@/lib/db/staff-reads";
import { CreateStaffForm, ToggleStaffButton } from "./staff-forms";

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
      <Card className="overflow-x-auto p-0">
        <table className="w-full text-left text-sm">
          <thead className="bg-stone-100 text-stone-700">
            <tr>
              <th scope="col" className="p-3">{t("name")}</th>
              <th scope="col" className="p-3">{t("email")}</th>
              <th scope="col" className="p-3">{t("role")}</th>
              <th scope="col" className="p-3">{t("status")}</th>
              <th scope="col" className="p-3"><span className="sr-only">{t("status")}</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-200">
            {staff.map((user) => (
              <tr key={user.id}>
                <td className="p-3 font-medium">{user.name}</td>
                <td className="p-3">{user.email}</td>
                <td className="p-3">{roles(user.role)}</td>
                <td className="p-3"><Badge>{user.isActive ? t("active") : t("inactive")}</Badge></td>
                <td className="p-3">{user.id === me.id ? null : <ToggleStaffButton userId={user.id} isActive={user.isActive} name={user.name} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("add")}</h2>
        <CreateStaffForm />
      </Card>
    </div>
  );
}
