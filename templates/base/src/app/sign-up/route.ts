import { getSignUpUrl } from "@workos-inc/authkit-nextjs";
import { redirect } from "next/navigation";

// /sign-up sends the user to AuthKit's hosted sign-up page.
export async function GET() {
  redirect(await getSignUpUrl());
}
